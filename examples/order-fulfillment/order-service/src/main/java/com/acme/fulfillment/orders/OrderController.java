package com.acme.fulfillment.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Takes orders from the web shop and hands them to the allocator over Kafka. */
@RestController
public class OrderController {
    static final String ORDERS_PLACED = "orders.placed";

    public record OrderLine(String sku, int quantity, String bin) {}

    public record PlaceOrder(String customerId, List<OrderLine> lines) {}

    private final JdbcTemplate jdbc;
    private final KafkaTemplate<String, String> kafkaTemplate;
    private final ObjectMapper json;

    public OrderController(JdbcTemplate jdbc, KafkaTemplate<String, String> kafkaTemplate, ObjectMapper json) {
        this.jdbc = jdbc;
        this.kafkaTemplate = kafkaTemplate;
        this.json = json;
    }

    @PostMapping("/orders")
    @Transactional
    public ResponseEntity<Map<String, Object>> place(@RequestBody PlaceOrder request) throws JsonProcessingException {
        String orderId = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO orders (id, customer_id, state, created_at) VALUES (?, ?, 'PLACED', now())",
                orderId, request.customerId());
        for (OrderLine line : request.lines()) {
            jdbc.update("INSERT INTO order_lines (order_id, sku, quantity, bin) VALUES (?, ?, ?, ?)",
                    orderId, line.sku(), line.quantity(), line.bin());
        }
        String event = json.writeValueAsString(Map.of("orderId", orderId, "lines", request.lines()));
        kafkaTemplate.send(ORDERS_PLACED, orderId, event);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("orderId", orderId));
    }

    @GetMapping("/orders/{id}")
    public Map<String, Object> get(@PathVariable String id) {
        return jdbc.queryForMap("SELECT id, customer_id, state, created_at, picked_at FROM orders WHERE id = ?", id);
    }

    /** Liveness: this process answers. Nothing else is asked. */
    @GetMapping("/livez")
    public Map<String, String> live() {
        return Map.of("status", "UP");
    }

    /** Readiness: take no traffic while the database is unreachable. */
    @GetMapping("/readyz")
    public Map<String, String> ready() {
        jdbc.queryForObject("SELECT 1", Integer.class);
        return Map.of("status", "UP");
    }
}
