// Controller: ready only after the informer cache has synced.
package controller

import (
	"context"
	"net/http"
	"sync/atomic"

	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
)

type Controller struct {
	ready   atomic.Bool
	factory informers.SharedInformerFactory
}

func NewController(cs kubernetes.Interface) *Controller {
	return &Controller{factory: informers.NewSharedInformerFactory(cs, 0)}
}

func (c *Controller) Run(ctx context.Context) {
	pods := c.factory.Core().V1().Pods().Informer()
	c.factory.Start(ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), pods.HasSynced) {
		return
	}
	c.ready.Store(true)
	<-ctx.Done()
}

func (c *Controller) Readyz(w http.ResponseWriter, r *http.Request) {
	if !c.ready.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}
