package com.example.render;

import java.util.HashMap;
import java.util.Map;

public class Scheduler {
    private final Map<String, AgentInfo> agents = new HashMap<>();

    public void onStatus(Map<String, String> msg) {
        AgentInfo agent = agents.get(msg.get("agent"));
        agent.status = msg.get("status");
    }

    public AgentInfo pick() {
        for (AgentInfo agent : agents.values()) {
            if ("IDLE".equals(agent.status)) {
                return agent;
            }
        }
        return null;
    }
}
