package com.example.sync;

import java.util.Map;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ProbeController {
    private static final long STARTED = System.currentTimeMillis();
    private final JdbcTemplate jdbc;

    public ProbeController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/livez")
    public Map<String, Object> live() {
        return Map.of("status", "ok", "uptime", System.currentTimeMillis() - STARTED);
    }

    @GetMapping("/readyz")
    public ResponseEntity<Map<String, Object>> ready() {
        try {
            jdbc.queryForObject("SELECT 1", Integer.class);
        } catch (DataAccessException e) {
            return ResponseEntity.status(503).body(Map.of("ready", false));
        }
        return ResponseEntity.ok(Map.of("ready", true));
    }
}
