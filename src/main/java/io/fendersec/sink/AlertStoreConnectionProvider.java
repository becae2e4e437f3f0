package io.fendersec.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import org.apache.flink.connector.jdbc.datasource.connections.JdbcConnectionProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to the alert store. Unlike Flink's {@code SimpleJdbcConnectionProvider}, which carries
 * the password in the job graph, this one carries only the {@code ${env:}}/{@code ${file:}}
 * reference and reads the secret when it connects, on the TaskManager. The first connection of
 * each writer also creates the schema if it is absent.
 */
final class AlertStoreConnectionProvider implements JdbcConnectionProvider {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AlertStoreConnectionProvider.class);
    private static final int VALID_CHECK_SECONDS = 5;

    private final JdbcSinkSettings settings;
    private transient Connection connection;
    private transient boolean schemaChecked;

    AlertStoreConnectionProvider(JdbcSinkSettings settings) {
        this.settings = settings;
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public boolean isConnectionValid() throws SQLException {
        return connection != null && connection.isValid(VALID_CHECK_SECONDS);
    }

    @Override
    public Connection getOrEstablishConnection() throws SQLException {
        if (connection != null) {
            return connection;
        }
        Properties props = new Properties();
        props.setProperty("user", settings.user());
        if (settings.password() != null) {
            props.setProperty("password", settings.password().resolve("sinks.alerts[].password"));
        }
        props.setProperty("ApplicationName", "fendersec");
        // The driver directly, not DriverManager: a job jar's driver is not visible to
        // DriverManager when Flink loads the job in its user-code class loader.
        Connection c = new org.postgresql.Driver().connect(settings.url(), props);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + settings.url());
        }
        if (!schemaChecked) {
            new AlertStoreSchema(settings.table()).createIfAbsent(c);
            schemaChecked = true;
        }
        connection = c;
        LOG.info("Alert store connected: {} as {}, table {}", settings.url(), settings.user(), settings.table());
        return c;
    }

    @Override
    public void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.warn("Closing the alert store connection failed: {}", e.getMessage());
            } finally {
                connection = null;
            }
        }
    }

    @Override
    public Connection reestablishConnection() throws SQLException {
        closeConnection();
        return getOrEstablishConnection();
    }
}
