package dev.junction.platform.launch;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Before the server starts: checks that PostgreSQL answers within seconds, and creates the
 * database when it is missing and the user may create databases. Failures name the URL tried
 * and how to get a database.
 */
public final class DatabasePreflight {

    /** SQLSTATE invalid_catalog_name: the database does not exist. */
    private static final String NO_SUCH_DATABASE = "3D000";
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]+)(\\?.*)?$");
    private static final int CONNECT_TIMEOUT_SECONDS = 5;

    private DatabasePreflight() { }

    /** @return true when the database was created by this call */
    public static boolean ensureDatabase(String url, String user, String password) {
        try (Connection ignored = connect(url, user, password)) {
            return false;
        } catch (SQLException e) {
            if (!NO_SUCH_DATABASE.equals(e.getSQLState())) {
                throw unreachable(url, e);
            }
        }
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new LaunchException("Database in " + url + " does not exist, and the URL is not of the form "
                    + "jdbc:postgresql://host:port/database, so it cannot be created automatically. Create it yourself.");
        }
        String database = m.group(2);
        String maintenanceUrl = m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
        try (Connection c = connect(maintenanceUrl, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            return true;
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                return false; // created concurrently by another replica
            }
            throw new LaunchException("Database '" + database + "' does not exist at " + url + " and could not be created as user '"
                    + user + "' (" + e.getMessage() + "). Create it (createdb " + database + ") or use a user with CREATEDB.");
        }
    }

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        p.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        p.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(url, p);
    }

    private static LaunchException unreachable(String url, SQLException e) {
        return new LaunchException("Cannot connect to PostgreSQL at " + url + ": " + e.getMessage() + "\n"
                + "  Start a database, then try again:\n"
                + "  - the local service: sudo pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n"
                + "    (or: sudo systemctl start postgresql)\n"
                + "  - or a container: docker compose -f deploy/compose.yaml up -d postgres\n"
                + "  - or point JUNCTION_DB_URL / JUNCTION_DB_USER / JUNCTION_DB_PASSWORD at your database.");
    }
}
