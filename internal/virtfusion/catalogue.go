package virtfusion

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Catalogue data changes only when an admin edits VirtFusion, so these
// methods are served from the TTL cache (Config.CacheTTL). Returned values
// are shared between callers and must not be modified.

// Package is a VirtFusion server package (plan).
type Package struct {
	ID                          FlexInt    `json:"id"`
	Name                        FlexString `json:"name"`
	Description                 FlexString `json:"description"`
	Enabled                     FlexBool   `json:"enabled"`
	MemoryMB                    FlexInt    `json:"memory"`
	PrimaryStorageGB            FlexInt    `json:"primaryStorage"`
	TrafficGB                   FlexInt    `json:"traffic"` // 0 = unmetered
	CPUCores                    FlexInt    `json:"cpuCores"`
	PrimaryNetworkSpeedIn       FlexInt    `json:"primaryNetworkSpeedIn"`  // kB/s, 0 = unlimited
	PrimaryNetworkSpeedOut      FlexInt    `json:"primaryNetworkSpeedOut"` // kB/s, 0 = unlimited
	PrimaryDiskType             FlexString `json:"primaryDiskType"`
	BackupPlanID                FlexInt    `json:"backupPlanId"`
	PrimaryStorageReadBytesSec  FlexInt    `json:"primaryStorageReadBytesSec"`
	PrimaryStorageWriteBytesSec FlexInt    `json:"primaryStorageWriteBytesSec"`
	PrimaryStorageReadIopsSec   FlexInt    `json:"primaryStorageReadIopsSec"`
	PrimaryStorageWriteIopsSec  FlexInt    `json:"primaryStorageWriteIopsSec"`
	PrimaryStorageProfile       FlexInt    `json:"primaryStorageProfile"` // a storage-type code, not a pool id
	PrimaryNetworkProfile       FlexInt    `json:"primaryNetworkProfile"`
	Created                     FlexTime   `json:"created"`
}

// Packages returns every package (not paginated). Cached.
func (c *Client) Packages(ctx context.Context) ([]Package, error) {
	p, err := cached(ctx, c, "packages", func(ctx context.Context) ([]Package, error) {
		l, err := getData[FlexList[Package]](ctx, c, request{method: http.MethodGet, path: "/packages"})
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: list packages: %w", err)
	}
	return p, nil
}

// Package returns one package. Cached.
func (c *Client) Package(ctx context.Context, id int64) (*Package, error) {
	p, err := cached(ctx, c, "package/"+pathID(id), func(ctx context.Context) (*Package, error) {
		p, err := getData[Package](ctx, c, request{method: http.MethodGet, path: "/packages/" + pathID(id)})
		return &p, err
	})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: get package %d: %w", id, err)
	}
	return p, nil
}

// TemplateGroup is a family of OS templates (e.g. Debian).
type TemplateGroup struct {
	ID          FlexInt              `json:"id"`
	Name        FlexString           `json:"name"`
	Description FlexString           `json:"description"`
	Icon        FlexString           `json:"icon"` // served at <panel>/img/logo/<icon>
	Templates   FlexList[OSTemplate] `json:"templates"`
}

// OSTemplate is one installable OS; its ID is BuildServerRequest.OperatingSystemID.
type OSTemplate struct {
	ID          FlexInt    `json:"id"`
	Name        FlexString `json:"name"`
	Version     FlexString `json:"version"`
	Variant     FlexString `json:"variant"`
	Arch        FlexInt    `json:"arch"` // 1 x86_64, 2 arm64 (inferred)
	Description FlexString `json:"description"`
	Icon        FlexString `json:"icon"`
	EOL         FlexBool   `json:"eol"`
	EOLDate     FlexTime   `json:"eol_date"`
	EOLWarning  FlexBool   `json:"eol_warning"`
	DeployType  FlexInt    `json:"deploy_type"`
	VNC         FlexBool   `json:"vnc"`
	Type        FlexString `json:"type"` // linux, windows, …
}

// PackageTemplates returns the OS templates a package can install. Cached.
func (c *Client) PackageTemplates(ctx context.Context, packageID int64) ([]TemplateGroup, error) {
	g, err := cached(ctx, c, "templates/"+pathID(packageID), func(ctx context.Context) ([]TemplateGroup, error) {
		return getData[FlexList[TemplateGroup]](ctx, c, request{method: http.MethodGet,
			path: "/media/templates/fromServerPackageSpec/" + pathID(packageID)})
	})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: templates of package %d: %w", packageID, err)
	}
	return g, nil
}

// Label is the template's display name, e.g. "Ubuntu 24.04" or
// "Debian 12 (Bookworm) Minimal".
func (t OSTemplate) Label() string {
	return strings.TrimSpace(strings.Join(strings.Fields(string(t.Name)+" "+string(t.Version)+" "+string(t.Variant)), " "))
}

// OSTemplate returns the template with id among every package's templates.
// Real server objects may carry "os": null while always naming the
// template in settings.osTemplateInstallId. Cached with the catalogue; a
// template no package offers (any more) is an error for which
// panel.ErrorCode is not_found.
func (c *Client) OSTemplate(ctx context.Context, id int64) (*OSTemplate, error) {
	all, err := cached(ctx, c, "ostemplates", func(ctx context.Context) (map[int64]OSTemplate, error) {
		pkgs, err := c.Packages(ctx)
		if err != nil {
			return nil, err
		}
		m := map[int64]OSTemplate{}
		for _, p := range pkgs {
			groups, err := c.PackageTemplates(ctx, int64(p.ID))
			if err != nil {
				c.log.WarnContext(ctx, "virtfusion: templates of a package unreadable", "package", int64(p.ID), "err", err)
				continue
			}
			for _, g := range groups {
				for _, t := range g.Templates {
					m[int64(t.ID)] = t
				}
			}
		}
		return m, nil
	})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: os template %d: %w", id, err)
	}
	t, ok := all[id]
	if !ok {
		return nil, &panel.Error{Code: panel.ENOTFOUND, Message: "No such operating system template."}
	}
	return &t, nil
}

// HypervisorGroup is what a panel calls a location.
type HypervisorGroup struct {
	ID               FlexInt    `json:"id"`
	Name             FlexString `json:"name"`
	Label            FlexString `json:"label"`
	Description      FlexString `json:"description"`
	DistributionType FlexInt    `json:"distributionType"`
	Enabled          FlexBool   `json:"enabled"`
	Default          FlexBool   `json:"default"`
	Created          FlexTime   `json:"created"`
	Updated          FlexTime   `json:"updated"`
}

// HypervisorGroups returns every hypervisor group, walking all pages. Cached.
func (c *Client) HypervisorGroups(ctx context.Context) ([]HypervisorGroup, error) {
	g, err := cached(ctx, c, "groups", func(ctx context.Context) ([]HypervisorGroup, error) {
		return allPages[HypervisorGroup](ctx, c, request{method: http.MethodGet, path: "/compute/hypervisors/groups"}, 200)
	})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: list hypervisor groups: %w", err)
	}
	return g, nil
}

// HypervisorGroup returns one hypervisor group. Cached.
func (c *Client) HypervisorGroup(ctx context.Context, id int64) (*HypervisorGroup, error) {
	g, err := cached(ctx, c, "group/"+pathID(id), func(ctx context.Context) (*HypervisorGroup, error) {
		g, err := getData[HypervisorGroup](ctx, c, request{method: http.MethodGet, path: "/compute/hypervisors/groups/" + pathID(id)})
		return &g, err
	})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: get hypervisor group %d: %w", id, err)
	}
	return g, nil
}

// ResourceCounter is one resource on a hypervisor (servers, memory, cores, storage).
type ResourceCounter struct {
	Enabled     *FlexBool  `json:"enabled,omitempty"` // storage only
	Name        FlexString `json:"name"`              // storage only
	StorageType FlexInt    `json:"storageType"`       // storage only
	Units       FlexString `json:"units"`
	Max         FlexInt    `json:"max"`
	Allocated   FlexInt    `json:"allocated"`
	Free        FlexInt    `json:"free"`
	Percent     FlexFloat  `json:"percent"`
}

// HypervisorResources is one hypervisor's capacity in a group: the stock a
// panel checks before selling a plan in a location.
type HypervisorResources struct {
	Hypervisor struct {
		ID           FlexInt    `json:"id"`
		Name         FlexString `json:"name"`
		Enabled      FlexBool   `json:"enabled"`
		Prohibit     FlexBool   `json:"prohibit"`
		Accept       FlexBool   `json:"accept"`
		Commissioned FlexBool   `json:"commissioned"`
	} `json:"hypervisor"`
	Resources struct {
		Servers      ResourceCounter           `json:"servers"`
		Memory       ResourceCounter           `json:"memory"`
		CPUCores     ResourceCounter           `json:"cpuCores"`
		LocalStorage ResourceCounter           `json:"localStorage"`
		OtherStorage FlexList[ResourceCounter] `json:"otherStorage"`
		Network      struct {
			Total struct {
				IPv4 struct {
					Free FlexInt `json:"free"`
				} `json:"ipv4"`
			} `json:"total"`
		} `json:"network"`
	} `json:"resources"`
}

// HypervisorGroupResources returns the capacity of every hypervisor in a
// group, walking all pages. Cached (stock is advisory; VirtFusion enforces
// the real limits at create time).
func (c *Client) HypervisorGroupResources(ctx context.Context, groupID int64) ([]HypervisorResources, error) {
	r, err := cached(ctx, c, "groupres/"+pathID(groupID), func(ctx context.Context) ([]HypervisorResources, error) {
		return allPages[HypervisorResources](ctx, c, request{method: http.MethodGet,
			path: "/compute/hypervisors/groups/" + pathID(groupID) + "/resources"}, 200)
	})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: resources of hypervisor group %d: %w", groupID, err)
	}
	return r, nil
}

func cloneQuery(q url.Values) url.Values {
	out := make(url.Values, len(q)+2)
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}
