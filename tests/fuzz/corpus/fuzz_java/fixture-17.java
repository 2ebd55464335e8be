package com.example.tasks;

import io.kubernetes.client.PodLogs;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.SocketException;

public class PodTaskRunner {
    private final PodLogs podLogs;
    private final CoreV1Api core;

    public PodTaskRunner(PodLogs podLogs, CoreV1Api core) {
        this.podLogs = podLogs;
        this.core = core;
    }

    public void follow(Task task) throws Exception {
        try (BufferedReader logReader = new BufferedReader(new InputStreamReader(
                podLogs.streamNamespacedPodLog(task.getNamespace(), task.getPodName(), "main")))) {
            String line;
            while ((line = logReader.readLine()) != null) {
                task.appendLog(line);
            }
        } catch (SocketException e) {
            // the log stream broke: ask the API server whether the pod still runs
            V1Pod pod = core.readNamespacedPodStatus(task.getPodName(), task.getNamespace(), null);
            if ("Failed".equals(pod.getStatus().getPhase())) {
                task.setState(TaskState.FAILED);
            }
        }
    }
}
