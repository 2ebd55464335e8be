package com.acme.fulfillment.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.retry.annotation.Backoff;
import org.springframework.retry.annotation.Retryable;
import org.springframework.stereotype.Component;

/** The robot's vendor API: REST for commands and mission records, a WebSocket for progress. */
@Component
public class RobotClient {
    private static final MediaType JSON = MediaType.get("application/json");

    /** A picking mission: drive to each bin of one aisle and pick. */
    public record Mission(String aisle, List<MissionRunner.Pick> picks) {}

    private final OkHttpClient http = new OkHttpClient();
    private final ObjectMapper json;
    private final String baseUrl;

    public RobotClient(ObjectMapper json, @Value("${robot.base-url}") String baseUrl) {
        this.json = json;
        this.baseUrl = baseUrl;
    }

    /** Starts a mission; returns the robot's mission id. */
    @Retryable(retryFor = IOException.class, maxAttempts = 4, backoff = @Backoff(delay = 500, multiplier = 2))
    public String startMission(Mission mission) throws IOException {
        Request request = new Request.Builder()
                .url(baseUrl + "/api/v2/missions")
                .post(RequestBody.create(json.writeValueAsBytes(mission), JSON))
                .build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("robot refused the mission: HTTP " + response.code());
            }
            return json.readTree(response.body().byteStream()).get("missionId").asText();
        }
    }

    /** The robot's own record of a mission: RUNNING, SUCCEEDED, FAILED or ABORTED. */
    public String missionState(String missionId) throws IOException {
        Request request = new Request.Builder().url(baseUrl + "/api/v2/missions/" + missionId).build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("mission " + missionId + ": HTTP " + response.code());
            }
            JsonNode mission = json.readTree(response.body().byteStream());
            return mission.get("state").asText();
        }
    }

    /** Progress events of a running mission, pushed by the robot. */
    public WebSocket followMission(String missionId, WebSocketListener listener) {
        Request request = new Request.Builder()
                .url(baseUrl.replaceFirst("^http", "ws") + "/api/v2/missions/" + missionId + "/events")
                .build();
        return http.newWebSocket(request, listener);
    }

    /** Uploads the warehouse map; the robot cannot drive a mission without it. */
    public void loadMap(String warehouseId, byte[] map) throws IOException {
        Request request = new Request.Builder()
                .url(baseUrl + "/api/v2/maps/" + warehouseId)
                .put(RequestBody.create(map, MediaType.get("application/octet-stream")))
                .build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("map upload refused: HTTP " + response.code());
            }
        }
    }

    /** Does the robot's API answer at all? */
    public boolean ping() {
        Request request = new Request.Builder().url(baseUrl + "/api/v2/status").build();
        try (Response response = http.newCall(request).execute()) {
            return response.isSuccessful();
        } catch (IOException e) {
            return false;
        }
    }
}
