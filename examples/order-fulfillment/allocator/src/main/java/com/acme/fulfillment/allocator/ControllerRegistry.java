package com.acme.fulfillment.allocator;

import com.acme.fulfillment.common.ControllerStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import redis.clients.jedis.JedisPooled;

/** The robot controllers the allocator knows, one Redis hash each. */
@Component
public class ControllerRegistry {
    private static final String IDS = "controllers";

    /** One controller as the allocator sees it. */
    public static final class ControllerInfo {
        private final String id;
        private final String url;
        private ControllerStatus status = ControllerStatus.STARTING;
        private String currentJob = "";
        private Instant lastSeen = Instant.EPOCH;

        public ControllerInfo(String id, String url) {
            this.id = id;
            this.url = url;
        }

        public String getId() { return id; }
        public String getUrl() { return url; }
        public ControllerStatus getStatus() { return status; }
        public void setStatus(ControllerStatus status) { this.status = status; }
        public String getCurrentJob() { return currentJob; }
        public void setCurrentJob(String jobId) { this.currentJob = jobId == null ? "" : jobId; }
        public Instant getLastSeen() { return lastSeen; }
        public void setLastSeen(Instant lastSeen) { this.lastSeen = lastSeen; }

        Map<String, String> toHash() {
            Map<String, String> hash = new HashMap<>();
            hash.put("url", url);
            hash.put("status", status.name());
            hash.put("currentJob", currentJob);
            hash.put("lastSeen", lastSeen.toString());
            return hash;
        }

        static ControllerInfo fromHash(String id, Map<String, String> hash) {
            ControllerInfo c = new ControllerInfo(id, hash.get("url"));
            c.status = ControllerStatus.valueOf(hash.get("status"));
            c.currentJob = hash.getOrDefault("currentJob", "");
            c.lastSeen = Instant.parse(hash.get("lastSeen"));
            return c;
        }
    }

    private final JedisPooled redis;

    public ControllerRegistry(JedisPooled redis) {
        this.redis = redis;
    }

    public List<ControllerInfo> all() {
        List<ControllerInfo> out = new ArrayList<>();
        for (String id : redis.smembers(IDS)) {
            Map<String, String> hash = redis.hgetAll(key(id));
            if (!hash.isEmpty()) {
                out.add(ControllerInfo.fromHash(id, hash));
            }
        }
        return out;
    }

    public ControllerInfo get(String id) {
        Map<String, String> hash = redis.hgetAll(key(id));
        if (hash.isEmpty()) {
            throw new IllegalArgumentException("unknown controller " + id);
        }
        return ControllerInfo.fromHash(id, hash);
    }

    public void save(ControllerInfo controller) {
        redis.sadd(IDS, controller.getId());
        redis.hset(key(controller.getId()), controller.toHash());
    }

    private static String key(String id) {
        return "controller:" + id;
    }
}
