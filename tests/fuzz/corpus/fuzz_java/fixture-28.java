package com.example.render;

import java.net.http.WebSocket;
import java.util.Map;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;

public class Agent {
    private final String agentId;
    private final JedisPooled cache;
    private final Json json = new Json();

    public Agent(String agentId, JedisPooled cache) {
        this.agentId = agentId;
        this.cache = cache;
    }

    public void heartbeat(WebSocket ws) {
        Map<String, Object> report;
        try {
            cache.ping();
            report = Map.of("type", "status", "agent", agentId, "status", "IDLE");
        } catch (JedisConnectionException e) {
            report = Map.of("type", "status", "agent", agentId, "status", "REDIS_UNAVAILABLE"); // expect: AP-4
        }
        ws.sendText(json.write(report), true);
    }
}
