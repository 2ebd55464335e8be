package com.example.tasks;

import io.kubernetes.client.PodLogs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.SocketException;
import java.util.logging.Logger;

public class PodTaskRunner {
    private static final Logger LOG = Logger.getLogger("pod-task");
    private final PodLogs podLogs;

    public PodTaskRunner(PodLogs podLogs) {
        this.podLogs = podLogs;
    }

    public void follow(Task task) throws Exception {
        try (BufferedReader logReader = new BufferedReader(new InputStreamReader(
                podLogs.streamNamespacedPodLog(task.getNamespace(), task.getPodName(), "main")))) {
            String line;
            while ((line = logReader.readLine()) != null) {
                LOG.info(task.getPodName() + ": " + line);
            }
        } catch (SocketException e) { // expect: AP-3
            LOG.warning("log stream of " + task.getPodName() + " broke: " + e);
            task.setState(TaskState.FAILED);
            return;
        }
        task.setState(TaskState.SUCCEEDED);
    }
}
