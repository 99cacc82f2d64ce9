// Package catalog serves the public catalogue: locations with stock,
// packages with prices, and the OS templates each package can install.
package catalog

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// VirtFusion is the part of the VirtFusion client the catalogue reads. The
// client caches all of it for a few minutes.
type VirtFusion interface {
	Packages(ctx context.Context) ([]virtfusion.Package, error)
	PackageTemplates(ctx context.Context, packageID int64) ([]virtfusion.TemplateGroup, error)
	HypervisorGroups(ctx context.Context) ([]virtfusion.HypervisorGroup, error)
	HypervisorGroupResources(ctx context.Context, groupID int64) ([]virtfusion.HypervisorResources, error)
}

// Deps are the catalogue's dependencies. Prices may be nil (packages are
// then shown without a price).
type Deps struct {
	VirtFusion VirtFusion
	Prices     panel.PriceBook
}

// Handlers returns the handlers of the catalog function.
func Handlers(d Deps) httpx.Handlers {
	if d.VirtFusion == nil {
		panic("catalog: Handlers needs VirtFusion")
	}
	h := &handlers{d: d}
	return httpx.Handlers{
		"GET /api/catalog/locations":               httpx.HandlerFunc(h.locations),
		"GET /api/catalog/packages":                httpx.HandlerFunc(h.packages),
		"GET /api/catalog/packages/{id}/templates": httpx.HandlerFunc(h.templates),
	}
}

// LocationList is the body of GET /api/catalog/locations.
type LocationList struct {
	Locations []panel.Location `json:"locations"`
}

// PackageList is the body of GET /api/catalog/packages.
type PackageList struct {
	Packages []panel.Package `json:"packages"`
}

// TemplateGroupList is the body of the routes that list installable
// operating systems, grouped by distribution.
type TemplateGroupList struct {
	Groups []panel.TemplateGroup `json:"groups"`
}

type handlers struct{ d Deps }

func (h *handlers) locations(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	groups, err := h.d.VirtFusion.HypervisorGroups(ctx)
	if err != nil {
		return err
	}
	var (
		mu   sync.Mutex
		out  = []panel.Location{}
		g, _ = errgroup.WithContext(ctx)
	)
	g.SetLimit(4)
	for _, hg := range groups {
		if !bool(hg.Enabled) {
			continue
		}
		g.Go(func() error {
			loc := virtfusion.PanelLocation(hg)
			res, err := h.d.VirtFusion.HypervisorGroupResources(ctx, loc.ID)
			if err != nil {
				// One group's stock failing should not hide the others.
				httpx.Logger(ctx).Warn("catalog: group resources", "group", loc.ID, "err", err)
			} else {
				loc.FreeServers = virtfusion.FreeServers(res)
				loc.Available = loc.FreeServers > 0
			}
			mu.Lock()
			out = append(out, loc)
			mu.Unlock()
			return nil
		})
	}
	_ = g.Wait()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return httpx.Encode(w, http.StatusOK, LocationList{Locations: out})
}

func (h *handlers) packages(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	pkgs, err := h.d.VirtFusion.Packages(ctx)
	if err != nil {
		return err
	}
	prices := h.prices(ctx)
	out := []panel.Package{}
	for _, p := range pkgs {
		if !bool(p.Enabled) {
			continue
		}
		pp := virtfusion.PanelPackage(p)
		if pr, ok := prices[pp.ID]; ok {
			if pr.Hidden {
				continue // not offered for ordering
			}
			pp.Price = &pr
		}
		out = append(out, pp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return httpx.Encode(w, http.StatusOK, PackageList{Packages: out})
}

// prices reads the price book; without one, or when it fails, packages are
// listed without prices rather than not at all.
func (h *handlers) prices(ctx context.Context) map[int64]panel.Price {
	if h.d.Prices == nil {
		return nil
	}
	m, err := h.d.Prices.Prices(ctx)
	if err != nil {
		httpx.Logger(ctx).Error("catalog: prices", "err", err)
		return nil
	}
	return m
}

func (h *handlers) templates(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return panel.NotFound("package")
	}
	pkgs, err := h.d.VirtFusion.Packages(ctx)
	if err != nil {
		return err
	}
	found := false
	for _, p := range pkgs {
		if int64(p.ID) == id && bool(p.Enabled) {
			found = true
		}
	}
	if !found {
		return panel.NotFound("package")
	}
	gs, err := h.d.VirtFusion.PackageTemplates(ctx, id)
	if virtfusion.IsNotFound(err) {
		return panel.NotFound("package")
	}
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, TemplateGroupList{Groups: virtfusion.PanelTemplateGroups(gs)})
}
