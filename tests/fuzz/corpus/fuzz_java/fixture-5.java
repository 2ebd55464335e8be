package com.example.render;

import java.net.SocketTimeoutException;

public class Worker {
    public WorkerStatus status = WorkerStatus.IDLE;
    private final RenderBackend backend;
    private final Dispatcher dispatcher;

    public Worker(RenderBackend backend, Dispatcher dispatcher) {
        this.backend = backend;
        this.dispatcher = dispatcher;
    }

    public void run(Job job) {
        try {
            backend.render(job);
            this.status = WorkerStatus.IDLE;
        } catch (SocketTimeoutException e) {
            // stay out of selection until the backend answers its health check again
            this.status = WorkerStatus.UNHEALTHY;
            dispatcher.submit(job);
        }
    }
}
