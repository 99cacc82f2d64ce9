package servers

import (
	"context"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// orderedPackages returns the package each of ids was ordered with (billing's
// record), or nil when there is no store or it fails: the servers are then
// shown with the package their resources match.
func (h *handlers) orderedPackages(ctx context.Context, ids []int64) map[int64]int64 {
	if h.d.Ordered == nil || len(ids) == 0 {
		return nil
	}
	m, err := h.d.Ordered.OrderedPackageIDs(ctx, ids)
	if err != nil {
		httpx.Logger(ctx).Warn("servers: ordered packages unavailable", "err", err)
		return nil
	}
	return m
}

// SetOrderedPackage names s's package from the package it was ordered with
// (pkgID > 0), which beats the guess from its resources. The name comes
// from pkgs; a package VirtFusion no longer lists keeps its id only.
func SetOrderedPackage(s *panel.Server, pkgID int64, pkgs []virtfusion.Package) {
	if pkgID <= 0 {
		return
	}
	p := &panel.ServerPackage{ID: pkgID}
	for _, vp := range pkgs {
		if int64(vp.ID) == pkgID {
			p.Name = string(vp.Name)
			break
		}
	}
	if p.Name == "" && s.Package != nil && s.Package.ID == pkgID {
		p.Name = s.Package.Name
	}
	s.Package = p
}
