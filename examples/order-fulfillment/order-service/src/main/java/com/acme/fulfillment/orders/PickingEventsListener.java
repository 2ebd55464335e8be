package com.acme.fulfillment.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/** Marks an order picked when the allocator says all its picking jobs are done. */
@Component
public class PickingEventsListener {
    private static final Logger log = LoggerFactory.getLogger(PickingEventsListener.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public PickingEventsListener(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @KafkaListener(topics = "picking.completed", groupId = "order-service")
    public void onPickingCompleted(ConsumerRecord<String, String> record, Acknowledgment ack)
            throws JsonProcessingException {
        JsonNode event = json.readTree(record.value());
        String orderId = event.get("orderId").asText();
        int updated = jdbc.update(
                "UPDATE orders SET state = 'PICKED', picked_at = now() WHERE id = ? AND state = 'PLACED'",
                orderId);
        if (updated == 0) {
            log.info("order {} was already picked or cancelled", orderId);
        }
        ack.acknowledge();
    }
}
