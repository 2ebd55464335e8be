// The coordinator's side of a worker's own connection: losing it loses the worker.
package hub

import (
	"log"

	"github.com/gorilla/websocket"
)

type Worker struct {
	ID     string
	conn   *websocket.Conn
	status string
}

type Hub struct{ workers map[string]*Worker }

func (h *Hub) serve(w *Worker) {
	for {
		_, msg, err := w.conn.ReadMessage()
		if err != nil {
			log.Printf("worker %s disconnected: %v", w.ID, err)
			w.status = "offline"
			delete(h.workers, w.ID)
			return
		}
		log.Printf("worker %s: %s", w.ID, msg)
	}
}
