package renderer

import (
	"context"
	"strings"

	"github.com/gorilla/websocket"
)

// Event is one message of the daemon's per-render event stream. The
// stream only reports progress: the render itself runs in the daemon and
// goes on whether or not anyone listens.
type Event struct {
	RenderID string  `json:"render_id"`
	Kind     string  `json:"kind"` // progress, done, failed
	Percent  float64 `json:"percent"`
	Output   string  `json:"output"`
	Error    string  `json:"error"`
}

// Events opens the progress stream of one render.
func (c *Client) Events(ctx context.Context, renderID string) (*websocket.Conn, error) {
	wsURL := "ws" + strings.TrimPrefix(c.base, "http") + "/renders/" + renderID + "/events"
	conn, _, err := websocket.DefaultDialer.DialContext(ctx, wsURL, nil)
	return conn, err
}
