package com.acme.fulfillment.controller;

import com.acme.fulfillment.common.FailureReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Runs one picking job as a robot mission and reports its outcome to the allocator. */
@Component
public class MissionRunner {
    private static final Logger log = LoggerFactory.getLogger(MissionRunner.class);

    public record Pick(String sku, int quantity, String bin) {}

    public record Assignment(String jobId, String orderId, String aisle, List<Pick> picks) {}

    private final RobotClient robot;
    private final AllocatorClient allocator;
    private final ObjectMapper json;
    private final AtomicReference<String> currentJob = new AtomicReference<>();

    public MissionRunner(RobotClient robot, AllocatorClient allocator, ObjectMapper json) {
        this.robot = robot;
        this.allocator = allocator;
        this.json = json;
    }

    public boolean busy() {
        return currentJob.get() != null;
    }

    public void run(Assignment job) {
        currentJob.set(job.jobId());
        String missionId;
        try {
            missionId = submit(new RobotClient.Mission(job.aisle(), job.picks()));
        } catch (ConnectException | SocketTimeoutException e) {
            log.warn("robot unreachable, job {} not started: {}", job.jobId(), e.toString());
            currentJob.set(null);
            allocator.jobFailed(job.jobId(), FailureReason.ROBOT_UNREACHABLE, e.toString());
            return;
        } catch (IOException e) {
            currentJob.set(null);
            allocator.jobFailed(job.jobId(), FailureReason.MISSION_ABORTED, e.getMessage());
            return;
        }
        robot.followMission(missionId, new ProgressListener(job, missionId));
    }

    /** The robot answers 503 while it docks at the charger: give it a few tries. */
    private String submit(RobotClient.Mission mission) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return robot.startMission(mission);
            } catch (IOException e) {
                last = e;
                pause(1000L * attempt);
            }
        }
        throw last;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The mission is over: the robot's mission record says how it ended. */
    private void settle(Assignment job, String missionId) {
        currentJob.set(null);
        try {
            String state = robot.missionState(missionId);
            if ("SUCCEEDED".equals(state)) {
                allocator.jobCompleted(job.jobId());
            } else if ("ITEM_NOT_FOUND".equals(state)) {
                allocator.jobFailed(job.jobId(), FailureReason.ITEM_NOT_FOUND, missionId);
            } else {
                allocator.jobFailed(job.jobId(), FailureReason.MISSION_ABORTED, state);
            }
        } catch (IOException e) {
            log.error("cannot read mission {} of job {}: {}", missionId, job.jobId(), e.toString());
        }
    }

    /** Progress events of one mission, forwarded to the log and the ops dashboard. */
    final class ProgressListener extends WebSocketListener {
        private final Assignment job;
        private final String missionId;

        ProgressListener(Assignment job, String missionId) {
            this.job = job;
            this.missionId = missionId;
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            try {
                JsonNode event = json.readTree(text);
                log.info("job {} at {}: {}%", job.jobId(), event.path("bin").asText(), event.path("percent").asInt());
                if (event.path("final").asBoolean()) {
                    webSocket.close(1000, "mission ended");
                    settle(job, missionId);
                }
            } catch (IOException e) {
                log.warn("unreadable progress event of mission {}: {}", missionId, text);
            }
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            log.warn("progress stream of mission {} failed: {}", missionId, t.toString());
            currentJob.set(null);
            allocator.jobFailed(job.jobId(), FailureReason.PROGRESS_LOST, t.toString());
        }
    }
}
