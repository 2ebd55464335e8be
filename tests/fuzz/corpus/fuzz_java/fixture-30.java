package com.example.sync;

import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ProbeController {
    private final JdbcTemplate jdbc;

    public ProbeController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/livez")
    public Map<String, Object> live() {
        jdbc.queryForObject("SELECT 1", Integer.class); // expect: AP-4
        return Map.of("status", "ok");
    }

    @GetMapping("/readyz")
    public Map<String, Object> ready() {
        jdbc.queryForObject("SELECT 1", Integer.class);
        return Map.of("ready", true);
    }
}
