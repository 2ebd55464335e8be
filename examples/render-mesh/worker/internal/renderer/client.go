// Package renderer talks to the render daemon that runs next to each worker
// on the same GPU host: HTTP to submit and to ask a job's state, a
// WebSocket for progress events.
package renderer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Client is one worker's connection to its local render daemon.
type Client struct {
	base   string
	client *http.Client
}

// New returns a client for the daemon at base (http://127.0.0.1:7300).
func New(base string) *Client {
	return &Client{base: base, client: &http.Client{Timeout: 30 * time.Second}}
}

type submitRequest struct {
	SceneURL   string `json:"scene_url"`
	FrameStart int    `json:"frame_start"`
	FrameEnd   int    `json:"frame_end"`
}

type submitResponse struct {
	RenderID string `json:"render_id"`
}

// JobState is the daemon's authoritative view of one render.
type JobState struct {
	State  string `json:"state"` // queued, rendering, done, failed
	Output string `json:"output"`
}

// Submit queues a frame range on the daemon and returns its render id.
func (c *Client) Submit(ctx context.Context, sceneURL string, start, end int) (string, error) {
	body, _ := json.Marshal(submitRequest{SceneURL: sceneURL, FrameStart: start, FrameEnd: end})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/renders", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return "", fmt.Errorf("render daemon: submit: %s", resp.Status)
	}
	var out submitResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", fmt.Errorf("render daemon: bad submit answer: %w", err)
	}
	return out.RenderID, nil
}

// State asks the daemon over HTTP where a render stands.
func (c *Client) State(ctx context.Context, renderID string) (*JobState, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/renders/"+renderID, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var st JobState
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return nil, err
	}
	return &st, nil
}

// Healthy reports whether the daemon answers its health endpoint.
func (c *Client) Healthy(ctx context.Context) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/healthz", nil)
	if err != nil {
		return false
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
