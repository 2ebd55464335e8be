package com.acme.fulfillment.controller;

import com.acme.fulfillment.common.ControllerStatus;
import com.acme.fulfillment.common.FailureReason;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** This controller's calls to the allocator (no retries: a lost heartbeat is sent again in 5 s). */
@Component
public class AllocatorClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json;
    private final String baseUrl;
    private final String controllerId;
    private final String selfUrl;

    public AllocatorClient(ObjectMapper json, @Value("${allocator.url}") String baseUrl,
                           @Value("${controller.id}") String controllerId,
                           @Value("${controller.url}") String selfUrl) {
        this.json = json;
        this.baseUrl = baseUrl;
        this.controllerId = controllerId;
        this.selfUrl = selfUrl;
    }

    public void register() {
        post("/controllers/register", Map.of("controllerId", controllerId, "url", selfUrl));
    }

    public void reportStatus(ControllerStatus status) {
        post("/controllers/" + controllerId + "/status", Map.of("controllerId", controllerId, "status", status));
    }

    public void jobCompleted(String jobId) {
        post("/controllers/" + controllerId + "/jobs/" + jobId + "/completed", Map.of());
    }

    public void jobFailed(String jobId, FailureReason reason, String detail) {
        post("/controllers/" + controllerId + "/jobs/" + jobId + "/failed",
                Map.of("reason", reason, "detail", detail));
    }

    private void post(String path, Map<String, ?> body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(3))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() >= 300) {
                throw new IOException("allocator answered HTTP " + response.statusCode() + " to " + path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling the allocator", e);
        }
    }
}
