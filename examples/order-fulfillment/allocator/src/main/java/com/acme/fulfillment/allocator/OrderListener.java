package com.acme.fulfillment.allocator;

import com.acme.fulfillment.allocator.Allocator.PlacedOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/** Consumes placed orders (ack-mode MANUAL_IMMEDIATE, see application.yml). */
@Component
public class OrderListener {
    private static final Logger log = LoggerFactory.getLogger(OrderListener.class);

    private final Allocator allocator;
    private final ObjectMapper json;

    public OrderListener(Allocator allocator, ObjectMapper json) {
        this.allocator = allocator;
        this.json = json;
    }

    @KafkaListener(topics = "orders.placed", groupId = "allocator")
    public void onOrderPlaced(ConsumerRecord<String, String> record, Acknowledgment ack)
            throws JsonProcessingException {
        PlacedOrder order = json.readValue(record.value(), PlacedOrder.class);
        log.info("order {} placed: {} lines", order.orderId(), order.lines().size());
        // Allocating waits for free robots and can outlast max.poll.interval.ms;
        // acknowledge first so the consumer group does not rebalance under us.
        ack.acknowledge();
        allocator.allocate(order);
    }
}
