package app

import (
	"context"

	"github.com/vfpanel/vfpanel/internal/api/servers"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// vfUserServers lists a VirtFusion user's servers (one call, no live
// state) as summaries, each named by the package it was ordered with when
// billing recorded one.
func vfUserServers(ctx context.Context, vf *virtfusion.Client, ordered panel.OrderedPackages, vfUserID int64) ([]*panel.Server, error) {
	list, err := vf.ListUserServers(ctx, vfUserID)
	if err != nil {
		return nil, err
	}
	pkgs, _ := vf.Packages(ctx)
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = list[i].ID
	}
	m, _ := ordered.OrderedPackageIDs(ctx, ids) // without it, the guess stays
	out := make([]*panel.Server, 0, len(list))
	for i := range list {
		s := servers.Summarize(&list[i], pkgs)
		servers.SetOrderedPackage(s, m[s.ID], pkgs)
		out = append(out, s)
	}
	return out, nil
}
