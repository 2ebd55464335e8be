package com.acme.fulfillment.controller;

import com.acme.fulfillment.common.ControllerStatus;
import com.acme.fulfillment.controller.MissionRunner.Assignment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The controller's side of the allocator protocol: announce, heartbeat, take jobs. */
@RestController
public class ControllerAgent {
    private final AllocatorClient allocator;
    private final RobotClient robot;
    private final MissionRunner runner;
    private final ExecutorService missions;
    private final String warehouseId;
    private final Path mapFile;

    public ControllerAgent(AllocatorClient allocator, RobotClient robot, MissionRunner runner,
                           ExecutorService missions, @Value("${warehouse.id}") String warehouseId,
                           @Value("${warehouse.map-file}") Path mapFile) {
        this.allocator = allocator;
        this.robot = robot;
        this.runner = runner;
        this.missions = missions;
        this.warehouseId = warehouseId;
        this.mapFile = mapFile;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void announce() throws IOException {
        allocator.register();
        allocator.reportStatus(ControllerStatus.IDLE);
        robot.loadMap(warehouseId, Files.readAllBytes(mapFile));
    }

    /** Every 5 s: may the allocator send this controller work? */
    @Scheduled(fixedDelay = 5000, initialDelay = 5000)
    public void heartbeat() {
        if (!robot.ping()) {
            allocator.reportStatus(ControllerStatus.ROBOT_OFFLINE);
            return;
        }
        if (runner.busy()) {
            allocator.reportStatus(ControllerStatus.BUSY);
        } else {
            allocator.reportStatus(ControllerStatus.IDLE);
        }
    }

    @PostMapping("/jobs")
    public ResponseEntity<Void> accept(@RequestBody Assignment job) {
        if (runner.busy()) {
            return ResponseEntity.status(HttpStatus.CONFLICT).build();
        }
        missions.submit(() -> runner.run(job));
        return ResponseEntity.accepted().build();
    }

    /** Liveness: this process answers; the robot's state is the heartbeat's business. */
    @GetMapping("/livez")
    public Map<String, String> live() {
        return Map.of("status", "UP");
    }
}
