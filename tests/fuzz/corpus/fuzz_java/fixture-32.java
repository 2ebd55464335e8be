package com.example.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

public class Notifier {
    private final HttpClient http = HttpClient.newHttpClient();

    public void notifyDone(String url) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build();
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                http.send(request, HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                Thread.sleep(500);
            }
        }
    }
}
