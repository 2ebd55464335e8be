package com.example.tasks;

import io.kubernetes.client.PodLogs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.SocketException;

public class PodTaskRunner {
    private final PodLogs podLogs;

    public PodTaskRunner(PodLogs podLogs) {
        this.podLogs = podLogs;
    }

    public void follow(Task task) throws Exception {
        for (int reconnects = 0; reconnects < 5; reconnects++) {
            try (BufferedReader logReader = new BufferedReader(new InputStreamReader(
                    podLogs.streamNamespacedPodLog(task.getNamespace(), task.getPodName(), "main")))) {
                String line;
                while ((line = logReader.readLine()) != null) {
                    task.appendLog(line);
                }
                return;
            } catch (SocketException e) {
                // the stream only monitors the pod: resume the logs, the task state is not ours to decide
                task.noteLogGap();
            }
        }
    }
}
