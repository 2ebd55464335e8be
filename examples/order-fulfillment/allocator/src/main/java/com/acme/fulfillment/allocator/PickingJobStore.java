package com.acme.fulfillment.allocator;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** The picking_jobs table: one row per aisle of an order. */
@Repository
public class PickingJobStore {

    public record PickingJob(String id, String orderId, String aisle, String linesJson, int attempts) {}

    private static final RowMapper<PickingJob> ROW = (rs, n) -> new PickingJob(
            rs.getString("id"), rs.getString("order_id"), rs.getString("aisle"),
            rs.getString("lines"), rs.getInt("attempts"));

    private final JdbcTemplate jdbc;

    public PickingJobStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(String orderId, String aisle, String linesJson) {
        jdbc.update("INSERT INTO picking_jobs (id, order_id, aisle, lines, state, attempts, created_at) "
                + "VALUES (?, ?, ?, ?::jsonb, 'PENDING', 0, now())",
                UUID.randomUUID().toString(), orderId, aisle, linesJson);
    }

    public List<PickingJob> pending() {
        return jdbc.query("SELECT id, order_id, aisle, lines, attempts FROM picking_jobs "
                + "WHERE state = 'PENDING' ORDER BY created_at LIMIT 50", ROW);
    }

    public PickingJob get(String id) {
        return jdbc.queryForObject("SELECT id, order_id, aisle, lines, attempts FROM picking_jobs WHERE id = ?",
                ROW, id);
    }

    public void markAssigned(String id, String controllerId) {
        jdbc.update("UPDATE picking_jobs SET state = 'ASSIGNED', controller_id = ?, attempts = attempts + 1 "
                + "WHERE id = ?", controllerId, id);
    }

    /** Back to PENDING: the next dispatch round offers it again. */
    public void release(String id) {
        jdbc.update("UPDATE picking_jobs SET state = 'PENDING', controller_id = NULL WHERE id = ?", id);
    }

    public void markDone(String id) {
        jdbc.update("UPDATE picking_jobs SET state = 'DONE', finished_at = now() WHERE id = ?", id);
    }

    public void markFailed(String id, String reason) {
        jdbc.update("UPDATE picking_jobs SET state = 'FAILED', error = ?, finished_at = now() WHERE id = ?",
                reason, id);
    }

    /** True when no job of the order is left to pick. */
    public boolean orderPicked(String orderId) {
        Integer open = jdbc.queryForObject("SELECT count(*) FROM picking_jobs WHERE order_id = ? "
                + "AND state NOT IN ('DONE', 'FAILED')", Integer.class, orderId);
        return open != null && open == 0;
    }
}
