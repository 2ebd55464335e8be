package com.example.render;

import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.springframework.retry.annotation.Retryable;

public class RenderClient {
    private final OkHttpClient http = new OkHttpClient();
    private final String baseUrl;

    public RenderClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    @Retryable(maxAttempts = 5) // expect: AP-5
    public String render(String jobId) throws IOException {
        Request request = new Request.Builder().url(baseUrl + "/render/" + jobId).build();
        try (Response response = http.newCall(request).execute()) {
            return response.body().string();
        }
    }
}
