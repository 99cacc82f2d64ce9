package vfsim

import (
	"encoding/json"
	"net/http"
	"strings"
)

func (s *Sim) listPackages(w http.ResponseWriter, r *http.Request) {
	writeData(w, 200, renderSorted(s.packages, renderPackage))
}

func (s *Sim) getPackage(w http.ResponseWriter, r *http.Request) {
	p := lookup(w, r, s.packages, "package")
	if p == nil {
		return
	}
	writeData(w, 200, renderPackage(p))
}

func (s *Sim) packageTemplates(w http.ResponseWriter, r *http.Request) {
	p := lookup(w, r, s.packages, "package")
	if p == nil {
		return
	}
	writeData(w, 200, s.templateGroups(p.Memory, p.Storage))
}

func (s *Sim) listGroups(w http.ResponseWriter, r *http.Request) {
	s.paginate(w, r, renderSorted(s.groups, renderGroup))
}

func (s *Sim) getGroup(w http.ResponseWriter, r *http.Request) {
	g := lookup(w, r, s.groups, "hypervisor group")
	if g == nil {
		return
	}
	writeData(w, 200, renderGroup(g))
}

func (s *Sim) groupResources(w http.ResponseWriter, r *http.Request) {
	id, _ := pathInt(r, "id")
	if s.groups[id] == nil {
		writeMsg(w, 404, "hypervisor group not found")
		return
	}
	items := []any{}
	for _, hid := range sortedKeys(s.hypervisors) {
		if h := s.hypervisors[hid]; h.GroupID == id {
			items = append(items, s.renderResources(h))
		}
	}
	s.paginate(w, r, items)
}

func (s *Sim) listHypervisors(w http.ResponseWriter, r *http.Request) {
	s.paginate(w, r, renderSorted(s.hypervisors, s.renderHypervisor))
}

func (s *Sim) getHypervisor(w http.ResponseWriter, r *http.Request) {
	h := lookup(w, r, s.hypervisors, "hypervisor")
	if h == nil {
		return
	}
	writeData(w, 200, s.renderHypervisor(h))
}

func (s *Sim) renderIPBlock(b *ipBlock) M {
	last := lastAddr(b.Prefix)
	total := 1<<(32-b.Prefix.Bits()) - 3 // network, gateway, broadcast
	free := s.freeIPv4(b)
	_ = last
	return M{"id": b.ID, "type": 4, "name": b.Name,
		"ipv4": M{"gateway": b.Gateway.String(), "netmask": netmask(b.Prefix),
			"resolvers": M{"primary": "1.1.1.1", "secondary": "8.8.8.8"},
			"total":     total, "usedTotal": total - free, "freeTotal": free},
		"ipv6": nil, "rdnsType": 0, "rdnsZoneId": nil, "networkProfile": 0, "routeBlock": false, "dhcp": false,
		"enabled": true, "created": tsServer(b.Created), "updated": tsServer(b.Created)}
}

func (s *Sim) listIPBlocks(w http.ResponseWriter, r *http.Request) {
	s.paginate(w, r, renderSorted(s.blocks, s.renderIPBlock))
}

func (s *Sim) getIPBlock(w http.ResponseWriter, r *http.Request) {
	b := lookup(w, r, s.blocks, "ip block")
	if b == nil {
		return
	}
	writeData(w, 200, s.renderIPBlock(b))
}

func renderKey(k *sshKey) M {
	return M{"id": k.ID, "name": k.Name, "publicKey": k.PublicKey, "type": "OpenSSH", "enabled": k.Enabled,
		"created": tsModel(k.Created), "updated": tsModel(k.Created)}
}

func validPublicKey(k string) bool {
	f := strings.Fields(k)
	if len(f) < 2 || len(f[1]) < 16 {
		return false
	}
	switch f[0] {
	case "ssh-rsa", "ssh-ed25519", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
		"sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com":
		return true
	}
	return false
}

func (s *Sim) createKey(w http.ResponseWriter, r *http.Request) {
	var in struct {
		UserID    int    `json:"userId"`
		Name      string `json:"name"`
		PublicKey string `json:"publicKey"`
	}
	if !decodeOr422(w, r, &in) {
		return
	}
	var errs []string
	if s.users[in.UserID] == nil {
		errs = append(errs, "The selected user id is invalid.")
	}
	if strings.TrimSpace(in.Name) == "" {
		errs = append(errs, "The name field is required.")
	}
	if !validPublicKey(in.PublicKey) {
		errs = append(errs, "The public key is not a valid OpenSSH public key.")
	}
	if len(errs) > 0 {
		writeErrors(w, 422, errs...)
		return
	}
	s.seq.key++
	k := &sshKey{ID: s.seq.key, UserID: in.UserID, Name: in.Name, PublicKey: strings.TrimSpace(in.PublicKey), Enabled: true, Created: s.now()}
	s.keys[k.ID] = k
	writeData(w, 201, M{"id": k.ID, "name": k.Name, "type": "OpenSSH", "createdAt": tsModel(k.Created)})
}

func (s *Sim) getKey(w http.ResponseWriter, r *http.Request) {
	k := lookup(w, r, s.keys, "ssh key")
	if k == nil {
		return
	}
	writeData(w, 200, renderKey(k))
}

func (s *Sim) listKeys(w http.ResponseWriter, r *http.Request) {
	uid, ok := pathInt(r, "uid")
	if !ok || s.users[uid] == nil {
		writeMsg(w, 404, "user not found")
		return
	}
	out := []any{}
	for _, id := range sortedKeys(s.keys) {
		if k := s.keys[id]; k.UserID == uid {
			out = append(out, renderKey(k))
		}
	}
	writeData(w, 200, out)
}

func (s *Sim) deleteKey(w http.ResponseWriter, r *http.Request) {
	id, _ := pathInt(r, "id")
	if s.keys[id] == nil {
		writeMsg(w, 404, "ssh key not found")
		return
	}
	delete(s.keys, id)
	for _, sv := range s.servers {
		for i, kid := range sv.SSHKeys {
			if kid == id {
				sv.SSHKeys = append(sv.SSHKeys[:i:i], sv.SSHKeys[i+1:]...)
				break
			}
		}
	}
	noContent(w, 204)
}

func (s *Sim) addCredit(w http.ResponseWriter, r *http.Request) {
	u := s.userOr404(w, r)
	if u == nil {
		return
	}
	var in struct {
		Tokens *json.Number `json:"tokens"`
		Ref1   int          `json:"reference_1"`
		Ref2   string       `json:"reference_2"`
	}
	if !decodeOr422(w, r, &in) {
		return
	}
	if in.Tokens == nil {
		writeErrors(w, 422, "The tokens field is required.")
		return
	}
	tokens, err := in.Tokens.Float64()
	if err != nil || tokens == 0 {
		writeErrors(w, 422, "The tokens must be a non-zero number.")
		return
	}
	if len(in.Ref2) > 1000 {
		writeErrors(w, 422, "The reference 2 may not be greater than 1000 characters.")
		return
	}
	s.seq.credit++
	s.credits[s.seq.credit] = &credit{ID: s.seq.credit, UserID: u.ID, Tokens: tokens, Ref1: in.Ref1, Ref2: in.Ref2}
	writeData(w, 201, M{"id": s.seq.credit})
}

func (s *Sim) cancelCredit(w http.ResponseWriter, r *http.Request) {
	id, _ := pathInt(r, "id")
	if s.credits[id] == nil {
		writeMsg(w, 404, "credit not found")
		return
	}
	delete(s.credits, id)
	noContent(w, 204)
}

func (s *Sim) listCurrencies(w http.ResponseWriter, r *http.Request) {
	writeData(w, 200, []any{
		M{"id": 1, "code": "USD", "value": "0.0100000000", "prefix": "$", "suffix": "", "default": true, "enabled": true},
		M{"id": 2, "code": "EUR", "value": "0.0092000000", "prefix": "€", "suffix": "", "default": false, "enabled": true},
		M{"id": 3, "code": "GBP", "value": "0.0079000000", "prefix": "£", "suffix": "", "default": false, "enabled": true},
	})
}

// Credits returns the self-service credit balance (tokens) of a VF user, for tests.
func (s *Sim) Credits(userID int) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var sum float64
	for _, c := range s.credits {
		if c.UserID == userID {
			sum += c.Tokens
		}
	}
	return sum
}
