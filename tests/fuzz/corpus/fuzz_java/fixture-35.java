package com.example.admission;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class PolicyCache {
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, Policy> policies = new ConcurrentHashMap<>();
    private volatile boolean ready = false;

    public void sync() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://kube-api:8080/apis/policies")).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        policies.putAll(Policy.parseAll(response.body()));
    }

    public void start() throws Exception {
        sync();
        this.ready = true;
    }

    @GetMapping("/readyz")
    public Map<String, Object> readyz() {
        return Map.of("ready", ready);
    }
}
