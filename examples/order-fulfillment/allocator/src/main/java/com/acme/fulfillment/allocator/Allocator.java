package com.acme.fulfillment.allocator;

import com.acme.fulfillment.allocator.ControllerRegistry.ControllerInfo;
import com.acme.fulfillment.allocator.PickingJobStore.PickingJob;
import com.acme.fulfillment.common.ControllerStatus;
import com.acme.fulfillment.common.FailureReason;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/** Splits orders into picking jobs and hands each job to an idle robot controller. */
@Service
public class Allocator {
    private static final Logger log = LoggerFactory.getLogger(Allocator.class);

    /** A job is offered to controllers this many times before it fails for good. */
    static final int MAX_ATTEMPTS = 3;

    public record Line(String sku, int quantity, String bin) {}

    public record PlacedOrder(String orderId, List<Line> lines) {}

    private final PickingJobStore jobs;
    private final ControllerRegistry registry;
    private final HttpClient http;
    private final KafkaTemplate<String, String> kafkaTemplate;
    private final ObjectMapper json;

    public Allocator(PickingJobStore jobs, ControllerRegistry registry, HttpClient http,
                     KafkaTemplate<String, String> kafkaTemplate, ObjectMapper json) {
        this.jobs = jobs;
        this.registry = registry;
        this.http = http;
        this.kafkaTemplate = kafkaTemplate;
        this.json = json;
    }

    /** One picking job per aisle: a robot drives one aisle per mission. */
    public void allocate(PlacedOrder order) throws JsonProcessingException {
        Map<String, List<Line>> byAisle = order.lines().stream()
                .collect(Collectors.groupingBy(line -> line.bin().substring(0, 3)));
        for (Map.Entry<String, List<Line>> aisle : byAisle.entrySet()) {
            jobs.insert(order.orderId(), aisle.getKey(), json.writeValueAsString(aisle.getValue()));
        }
        dispatchPending();
    }

    /** Offers pending jobs to idle controllers; also runs on a timer. */
    @Scheduled(fixedDelay = 2000)
    public synchronized void dispatchPending() {
        for (PickingJob job : jobs.pending()) {
            // the freshest heartbeat is the controller most likely to answer
            Optional<ControllerInfo> idle = registry.all().stream()
                    .filter(c -> c.getStatus() == ControllerStatus.IDLE)
                    .max(Comparator.comparing(ControllerInfo::getLastSeen));
            if (idle.isEmpty()) {
                return;
            }
            assign(idle.get(), job);
        }
    }

    private void assign(ControllerInfo controller, PickingJob job) {
        controller.setStatus(ControllerStatus.BUSY);
        controller.setCurrentJob(job.id());
        registry.save(controller);
        jobs.markAssigned(job.id(), controller.getId());
        HttpRequest request = HttpRequest.newBuilder(URI.create(controller.getUrl() + "/jobs"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(assignment(job)))
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 202) {
                log.warn("controller {} refused job {}: HTTP {}", controller.getId(), job.id(),
                        response.statusCode());
                jobs.release(job.id());
            }
        } catch (IOException e) {
            // the controller itself is gone: out of selection until it registers again
            log.warn("controller {} unreachable: {}", controller.getId(), e.toString());
            controller.setStatus(ControllerStatus.OFFLINE);
            registry.save(controller);
            jobs.release(job.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            jobs.release(job.id());
        }
    }

    private static String assignment(PickingJob job) {
        return "{\"jobId\":\"" + job.id() + "\",\"orderId\":\"" + job.orderId() + "\",\"aisle\":\""
                + job.aisle() + "\",\"picks\":" + job.linesJson() + "}";
    }

    /** A controller gave a job back: offer it again, up to MAX_ATTEMPTS in all. */
    public void requeue(String jobId, FailureReason reason) {
        PickingJob job = jobs.get(jobId);
        if (reason.retryable() && job.attempts() < MAX_ATTEMPTS) {
            jobs.release(jobId);
        } else {
            jobs.markFailed(jobId, reason.name());
            finishOrder(job.orderId());
        }
    }

    public void completed(String jobId) {
        PickingJob job = jobs.get(jobId);
        jobs.markDone(jobId);
        finishOrder(job.orderId());
    }

    private void finishOrder(String orderId) {
        if (jobs.orderPicked(orderId)) {
            kafkaTemplate.send("picking.completed", orderId, "{\"orderId\":\"" + orderId + "\"}");
        }
    }
}
