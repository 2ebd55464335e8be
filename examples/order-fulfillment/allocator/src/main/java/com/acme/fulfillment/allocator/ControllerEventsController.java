package com.acme.fulfillment.allocator;

import com.acme.fulfillment.allocator.ControllerRegistry.ControllerInfo;
import com.acme.fulfillment.common.ControllerStatus;
import com.acme.fulfillment.common.FailureReason;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the robot controllers tell the allocator: registration, heartbeats, job outcomes. */
@RestController
@RequestMapping("/controllers")
public class ControllerEventsController {
    private static final Logger log = LoggerFactory.getLogger(ControllerEventsController.class);

    public record Registration(String controllerId, String url) {}

    public record StatusReport(String controllerId, ControllerStatus status) {}

    public record JobFailure(FailureReason reason, String detail) {}

    private final ControllerRegistry registry;
    private final Allocator allocator;

    public ControllerEventsController(ControllerRegistry registry, Allocator allocator) {
        this.registry = registry;
        this.allocator = allocator;
    }

    @PostMapping("/register")
    public void register(@RequestBody Registration registration) {
        ControllerInfo controller = new ControllerInfo(registration.controllerId(), registration.url());
        controller.setLastSeen(Instant.now());
        registry.save(controller);
        log.info("controller {} registered at {}", registration.controllerId(), registration.url());
    }

    /** The heartbeat: the controller says whether it takes work. */
    @PostMapping("/{id}/status")
    public void status(@PathVariable String id, @RequestBody StatusReport report) {
        ControllerInfo controller = registry.get(id);
        controller.setStatus(report.status());
        controller.setLastSeen(Instant.now());
        registry.save(controller);
        if (report.status() == ControllerStatus.IDLE) {
            allocator.dispatchPending();
        }
    }

    @PostMapping("/{id}/jobs/{jobId}/completed")
    public void jobCompleted(@PathVariable String id, @PathVariable String jobId) {
        allocator.completed(jobId);
        ControllerInfo controller = registry.get(id);
        controller.setStatus(ControllerStatus.IDLE);
        controller.setCurrentJob(null);
        controller.setLastSeen(Instant.now());
        registry.save(controller);
        allocator.dispatchPending();
    }

    @PostMapping("/{id}/jobs/{jobId}/failed")
    public void jobFailed(@PathVariable String id, @PathVariable String jobId, @RequestBody JobFailure failure) {
        log.warn("job {} failed on controller {}: {} ({})", jobId, id, failure.reason(), failure.detail());
        allocator.requeue(jobId, failure.reason());
        ControllerInfo controller = registry.get(id);
        controller.setStatus(ControllerStatus.IDLE);
        controller.setCurrentJob(null);
        controller.setLastSeen(Instant.now());
        registry.save(controller);
        allocator.dispatchPending();
    }

    /** For the operations dashboard: who is doing what. */
    @GetMapping
    public Map<String, ControllerStatus> overview() {
        Map<String, ControllerStatus> out = new java.util.TreeMap<>();
        for (ControllerInfo controller : registry.all()) {
            out.put(controller.getId(), controller.getStatus());
        }
        return out;
    }
}
