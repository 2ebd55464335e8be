// History service (fixed): SERVING only once membership is initialised; gRPC server with the standard health service, and cluster membership.
package history

import (
	"context"
	"log"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

type Membership struct{ seeds []string }

func (m *Membership) Initialize(ctx context.Context) error {
	for _, s := range m.seeds {
		conn, err := grpc.NewClient(s)
		if err != nil {
			return err
		}
		defer conn.Close()
	}
	return nil
}

type Server struct {
	grpc       *grpc.Server
	health     *health.Server
	membership *Membership
}

func (s *Server) Start(ctx context.Context, lis net.Listener) error {
	healthpb.RegisterHealthServer(s.grpc, s.health)
	go s.grpc.Serve(lis)
	if err := s.membership.Initialize(ctx); err != nil {
		return err
	}
	s.health.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	log.Printf("history service up on %s", lis.Addr())
	return nil
}
