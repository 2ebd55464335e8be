package com.example.render;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

public class Dispatcher {
    private final List<Worker> workers;
    private final Deque<Job> backlog = new ArrayDeque<>();

    public Dispatcher(List<Worker> workers) {
        this.workers = workers;
    }

    public void submit(Job job) {
        backlog.add(job);
        dispatch();
    }

    void dispatch() {
        for (Worker w : workers) {
            if (w.status == WorkerStatus.IDLE && !backlog.isEmpty()) {
                w.status = WorkerStatus.BUSY;
                w.run(backlog.poll());
            }
        }
    }
}
