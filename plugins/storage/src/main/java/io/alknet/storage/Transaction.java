package io.alknet.storage;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.storage.internal.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One unit of work on the storage: statements on one connection and, for a write, the change events it emits,
 * which are stored in the same transaction (the outbox) just before it commits.
 *
 * <p>Threading: confined to the thread running the work given to {@link Storage#write} or {@link Storage#read};
 * never keep it beyond that call.
 */
public final class Transaction {

    /** Turns the current row into a value. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** A change this transaction made, as it goes into the outbox. */
    record Change(String topic, String entityId, String payload) {
    }

    private final Connection connection;
    private final boolean writable;
    private final long now;
    private final List<Change> changes = new ArrayList<>();

    Transaction(Connection connection, boolean writable, long now) {
        this.connection = connection;
        this.writable = writable;
        this.now = now;
    }

    /** The transaction's time, Unix seconds: every row it stamps gets the same. */
    public long now() {
        return now;
    }

    /** Runs an INSERT, UPDATE or DELETE; returns the rows it touched. */
    public int update(String sql, Object... arguments) {
        requireWritable();
        try (PreparedStatement statement = prepare(sql, arguments)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw Storage.translate(e, sql);
        }
    }

    /** Runs a query and maps every row. */
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... arguments) {
        try (PreparedStatement statement = prepare(sql, arguments); ResultSet rows = statement.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
            return result;
        } catch (SQLException e) {
            throw Storage.translate(e, sql);
        }
    }

    /** Runs a query for at most one row. */
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... arguments) {
        List<T> rows = query(sql, mapper, arguments);
        if (rows.size() > 1) {
            throw new AlknetException(ErrorCode.INTERNAL, "expected at most one row, got " + rows.size());
        }
        return rows.stream().findFirst();
    }

    /**
     * Records a change event ({@code accounts:created}, {@code nodes:deleted}, …) to be committed with this
     * transaction. Never put a secret in {@code payload}.
     */
    public void emit(String topic, String entityId, Map<String, ?> payload) {
        requireWritable();
        changes.add(new Change(Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(entityId, "entityId"),
                Json.write(payload)));
    }

    List<Change> changes() {
        return changes;
    }

    Connection connection() {
        return connection;
    }

    private PreparedStatement prepare(String sql, Object[] arguments) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < arguments.length; i++) {
                Object argument = arguments[i];
                switch (argument) {
                    case null -> statement.setNull(i + 1, Types.NULL); // untyped: PostgreSQL takes the column's type
                    case Optional<?> optional -> throw new IllegalArgumentException("pass the value or null, not an Optional");
                    case Boolean bool -> statement.setInt(i + 1, bool ? 1 : 0);
                    default -> statement.setObject(i + 1, argument);
                }
            }
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
        return statement;
    }

    private void requireWritable() {
        if (!writable) {
            throw new IllegalStateException("a read cannot write; use Storage.write");
        }
    }
}
