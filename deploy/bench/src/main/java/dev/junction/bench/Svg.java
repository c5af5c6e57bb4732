package dev.junction.bench;

import java.util.List;
import java.util.Locale;

/** A minimal SVG line chart: each series scaled to its own maximum, which its legend states. */
final class Svg {

    private static final String[] COLOURS = {"#1f77b4", "#2ca02c", "#d62728", "#9467bd"};
    private static final int W = 800;
    private static final int H = 360;
    private static final int LEFT = 50;
    private static final int TOP = 40;
    private static final int PLOT_W = 700;
    private static final int PLOT_H = 260;

    private Svg() {
    }

    static String lineChart(String title, String xLabel, double[] x, List<String> names, double[][] series) {
        double xMax = Math.max(1e-9, x[x.length - 1]);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", W, H));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\">%s</text>%n", LEFT, escape(title)));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                LEFT, TOP, PLOT_W, PLOT_H));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">0</text><text x=\"%d\" y=\"%d\">%.0f %s</text>%n",
                LEFT, TOP + PLOT_H + 15, LEFT + PLOT_W - 90, TOP + PLOT_H + 15, xMax, escape(xLabel)));
        for (int s = 0; s < series.length; s++) {
            double max = 1e-9;
            for (double v : series[s]) {
                max = Math.max(max, v);
            }
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < x.length; i++) {
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + PLOT_W * x[i] / xMax, TOP + PLOT_H - PLOT_H * series[s][i] / max));
            }
            String colour = COLOURS[s % COLOURS.length];
            b.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n",
                    colour, pts.toString().strip()));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s (top of the plot: %.0f)</text>%n",
                    LEFT, H - 40 + 14 * s, colour, escape(names.get(s)), max));
        }
        return b.append("</svg>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
