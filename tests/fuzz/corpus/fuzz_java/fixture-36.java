package com.example.frontend;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;

public class FrontendServer {
    private final HealthStatusManager health = new HealthStatusManager();
    private final Membership membership;
    private Server server;

    public FrontendServer(Membership membership) {
        this.membership = membership;
    }

    public void start() throws Exception {
        server = ServerBuilder.forPort(7233).addService(health.getHealthService()).build().start();
        membership.join();
        membership.awaitRingReady();
        health.setStatus("", ServingStatus.SERVING);
    }
}
