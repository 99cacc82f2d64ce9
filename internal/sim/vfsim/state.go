package vfsim

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"time"
)

// stateVersion is the state-file format; bump it on incompatible changes.
const stateVersion = 1

// stateFile is the JSON in Options.StateFile: everything customers and
// the panel created. Packages, locations, hypervisors, templates and IP
// pools are static and come from seedInfra, so only their usage is stored.
type stateFile struct {
	Version   int                  `json:"version"`
	SavedAt   time.Time            `json:"savedAt"`
	Seq       stateSeq             `json:"seq"`
	Users     []*user              `json:"users"`
	Servers   []*server            `json:"servers"`
	Keys      []*sshKey            `json:"sshKeys"`
	Queue     []*queueItem         `json:"queue"` // unfinished items resume at their stored due time
	Credits   []*credit            `json:"credits"`
	IPv4Used  map[int][]netip.Addr `json:"ipv4Used"` // block id → allocated addresses
	SSO       map[string]ssoToken  `json:"sso"`
	VNCTokens map[string]vncToken  `json:"vncTokens"`
}

// stateSeq holds the id counters, so ids continue without reuse.
type stateSeq struct {
	User   int `json:"user"`
	Server int `json:"server"`
	Key    int `json:"key"`
	Queue  int `json:"queue"`
	Credit int `json:"credit"`
	IP     int `json:"ip"`
	V6     int `json:"v6"`
}

// snapshotState encodes the state file.
func (s *Sim) snapshotState() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := stateFile{
		Version: stateVersion, SavedAt: s.now(),
		Seq: stateSeq{User: s.seq.user, Server: s.seq.server, Key: s.seq.key, Queue: s.seq.queue,
			Credit: s.seq.credit, IP: s.seq.ip, V6: s.seq.v6},
		IPv4Used: map[int][]netip.Addr{}, SSO: s.sso, VNCTokens: s.vncTokens,
	}
	for _, id := range sortedKeys(s.users) {
		st.Users = append(st.Users, s.users[id])
	}
	for _, id := range sortedKeys(s.servers) {
		st.Servers = append(st.Servers, s.servers[id])
	}
	for _, id := range sortedKeys(s.keys) {
		st.Keys = append(st.Keys, s.keys[id])
	}
	for _, id := range sortedKeys(s.queue) {
		st.Queue = append(st.Queue, s.queue[id])
	}
	for _, id := range sortedKeys(s.credits) {
		st.Credits = append(st.Credits, s.credits[id])
	}
	for _, id := range sortedKeys(s.blocks) {
		var used []netip.Addr
		for a := range s.blocks[id].Used {
			used = append(used, a)
		}
		slices.SortFunc(used, netip.Addr.Compare)
		st.IPv4Used[id] = used
	}
	return json.MarshalIndent(st, "", "  ")
}

// loadState replaces the seeded customer state with the file's. Infra must
// already be seeded.
func (s *Sim) loadState(b []byte) error {
	var st stateFile
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("unreadable: %w", err)
	}
	if st.Version != stateVersion {
		return fmt.Errorf("incompatible version %d (this simulator reads version %d)", st.Version, stateVersion)
	}
	s.seq.user, s.seq.server, s.seq.key, s.seq.queue = st.Seq.User, st.Seq.Server, st.Seq.Key, st.Seq.Queue
	s.seq.credit, s.seq.ip, s.seq.v6 = st.Seq.Credit, st.Seq.IP, st.Seq.V6
	for _, u := range st.Users {
		s.users[u.ID] = u
	}
	for _, sv := range st.Servers {
		if s.packages[sv.PackageID] == nil || s.groups[sv.GroupID] == nil || s.hypervisors[sv.HypID] == nil {
			return fmt.Errorf("server %d refers to a package, group or hypervisor this simulator does not have", sv.ID)
		}
		s.servers[sv.ID] = sv
	}
	for _, k := range st.Keys {
		s.keys[k.ID] = k
	}
	for _, q := range st.Queue {
		s.queue[q.ID] = q
	}
	for _, c := range st.Credits {
		s.credits[c.ID] = c
	}
	for id, used := range st.IPv4Used {
		b := s.blocks[id]
		if b == nil {
			return fmt.Errorf("unknown IP block %d", id)
		}
		for _, a := range used {
			b.Used[a] = true
		}
	}
	if st.SSO != nil {
		s.sso = st.SSO
	}
	if st.VNCTokens != nil {
		s.vncTokens = st.VNCTokens
	}
	return nil
}
