package com.example.engine;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.springframework.retry.annotation.Retryable;
import static com.example.engine.WorkerStatus.IDLE;

public class Dispatcher {
    enum WorkerStatus { IDLE, BUSY }

    private final HttpClient http = HttpClient.newBuilder().build();
    private WorkerStatus status;

    public Dispatcher(Repo repo) {
        this.status = WorkerStatus.IDLE;
    }

    @Retryable(maxAttempts = 3, value = IOException.class)
    public void dispatch(Job job, Worker worker) throws IOException {
        try {
            this.send(job);
            pick();
        } catch (IOException | TimeoutException e) {
            worker.setStatus(WorkerStatus.IDLE);
            throw new RuntimeException(e);
        } finally {
            cleanup();
        }
    }

    Worker pick(List<Worker> workers) {
        for (Worker w : workers) {
            if (!w.isBusy()) {
                return w;
            }
        }
        switch (worker.getStatus()) {
            case IDLE:
                break;
            case BUSY:
                log();
        }
        return workers.stream().filter(w -> w.getStatus() == WorkerStatus.IDLE).findFirst().orElse(null);
    }

    void send(Job job) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                http.send(request, BodyHandlers.ofString());
                return;
            } catch (IOException e) {
                status = WorkerStatus.BUSY;
            }
        }
        if ("idle".equals(job.getState())) {
            db.execute("UPDATE jobs SET status = 'failed' WHERE id = ?");
        }
    }

    Map<String, Object> health() {
        return Map.of("status", "UP", "db", "down");
    }
}
