package dev.junction.fakesendgrid;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class FakeSendGridMainTest {
    @Test
    void helpPrintsTheOptionsAndUnknownOptionsAreRefused() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        try {
            FakeSendGridMain.main(new String[] {"--help"});
        } finally {
            System.setOut(old);
        }
        assertTrue(out.toString().contains("--no-validation"), out.toString());
        assertThrows(IllegalArgumentException.class, () -> FakeSendGridMain.main(new String[] {"--bogus"}));
        assertThrows(IllegalArgumentException.class, () -> FakeSendGridMain.main(new String[] {"--port"}));
    }
}
