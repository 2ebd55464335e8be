package com.example.ci;

import io.kubernetes.client.PodLogs;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.InputStreamReader;

public class BuildWatcher {
    private final PodLogs podLogs;
    private final BuildRepository builds;

    public BuildWatcher(PodLogs podLogs, BuildRepository builds) {
        this.podLogs = podLogs;
        this.builds = builds;
    }

    public void watch(Build build) throws Exception {
        BufferedReader buildLog = new BufferedReader(new InputStreamReader(
            podLogs.streamNamespacedPodLog("ci", build.getPod(), "build")));
        try {
            String line = buildLog.readLine();
            while (line != null) {
                builds.appendLog(build.getId(), line);
                line = buildLog.readLine();
            }
        } catch (EOFException e) { // expect: AP-3
            builds.markFailed(build.getId(), "log stream ended early");
        }
    }
}
