package virtfusion

import "strconv"

// Server objects are read in one pass (see reader): a full object is the
// hottest decode in the panel (every server list and detail carries them).

// UnmarshalJSON decodes any server variant.
func (s *Server) UnmarshalJSON(b []byte) error { return readWhole(b, s) }

// readFrom implements valueDecoder: it reads the union of every server
// variant (see Server).
func (s *Server) readFrom(r *reader) error {
	*s = Server{}
	if r.peek() == 'n' {
		return r.skip() // null: as encoding/json leaves a struct
	}
	var (
		ownerID                   FlexInt
		commission, commissioned  *FlexInt
		settingsRes, topRes       Resources
		settingsResOK, topResOK   bool
		primary, secondary        []serverInterface
		countMethod, trafficLimit FlexInt
		start, end                FlexTime
		str                       FlexString
		n                         FlexInt
		bo                        FlexBool
		t                         FlexTime
	)
	err := r.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "id":
			err = r.scalar(&n)
			s.ID = int64(n)
		case "uuid":
			err = r.scalar(&str)
			s.UUID = string(str)
		case "name":
			err = r.scalar(&str)
			s.Name = string(str)
		case "hostname":
			err = r.scalar(&str)
			s.Hostname = string(str)
		case "ownerid":
			err = r.scalar(&n)
			s.OwnerID = int64(n)
		case "owner":
			// 3 in lists, {"id": 3, …} in the detail.
			ownerID = 0
			if r.peek() == '{' {
				err = r.object(func(key []byte) error {
					if string(key) == "id" {
						return r.scalar(&ownerID)
					}
					return r.skip()
				})
			} else {
				err = r.scalar(&ownerID)
			}
		case "hypervisorid":
			err = r.scalar(&n)
			s.HypervisorID = int64(n)
		case "commissionstatus":
			commission, err = optInt(r)
		case "commissioned":
			commissioned, err = optInt(r)
		case "state":
			err = r.scalar(&str)
			s.State = string(str)
		case "suspended":
			err = r.scalar(&bo)
			s.Suspended = bool(bo)
		case "protected":
			err = r.scalar(&bo)
			s.Protected = bool(bo)
		case "rebuild":
			err = r.scalar(&bo)
			s.Rebuild = bool(bo)
		case "buildfailed":
			err = r.scalar(&bo)
			s.BuildFailed = bool(bo)
		case "built":
			err = r.scalar(&t)
			s.Built = t.Time
		case "created":
			err = r.scalar(&t)
			s.Created = t.Time
		case "updated":
			err = r.scalar(&t)
			s.Updated = t.Time
		case "traffic": // traffic and settings are merged when repeated, as encoding/json does with structs
			_, err = r.optObject(func(key []byte) error {
				if string(key) != "public" {
					return r.skip()
				}
				_, err := r.optObject(func(key []byte) error {
					switch string(key) {
					case "countmethod":
						return r.scalar(&countMethod)
					case "currentperiod":
						_, err := r.optObject(func(key []byte) error {
							switch string(key) {
							case "start":
								return r.scalar(&start)
							case "end":
								return r.scalar(&end)
							case "limit":
								return r.scalar(&trafficLimit)
							}
							return r.skip()
						})
						return err
					}
					return r.skip()
				})
				return err
			})
		case "settings":
			_, err = r.optObject(func(key []byte) error {
				var err error
				switch string(key) {
				case "ostemplateinstallid":
					err = r.scalar(&n)
					s.OSTemplateID = int64(n)
				case "decryptedpassword":
					err = r.scalar(&str)
					s.DecryptedPassword = string(str)
				case "resources":
					settingsRes, settingsResOK, err = readResources(r)
				default:
					err = r.skip()
				}
				return err
			})
		case "resources":
			topRes, topResOK, err = readResources(r)
		case "os":
			s.OSTemplateName = ""
			_, err = r.optObject(func(key []byte) error {
				if string(key) != "templatename" {
					return r.skip()
				}
				err := r.scalar(&str)
				s.OSTemplateName = string(str)
				return err
			})
		case "backupplan":
			s.BackupPlanID = 0
			_, err = r.optObject(func(key []byte) error {
				if string(key) != "id" {
					return r.skip()
				}
				err := r.scalar(&n)
				s.BackupPlanID = int64(n)
				return err
			})
		case "vnc":
			s.VNC = VNC{}
			_, err = r.optObject(func(key []byte) error { return s.VNC.readMember(r, key) })
		case "network":
			primary, secondary = nil, nil
			_, err = r.optObject(func(key []byte) error {
				var err error
				switch string(key) {
				case "interfaces":
					primary, err = readList(r, interfaceReader(r))
				case "secondaryinterfaces":
					secondary, err = readList(r, interfaceReader(r))
				default:
					err = r.skip()
				}
				return err
			})
		case "hypervisor":
			s.HypervisorGroupID, s.HypervisorGroup = 0, ""
			_, err = r.optObject(func(key []byte) error {
				switch string(key) {
				case "groupid":
					err := r.scalar(&n)
					s.HypervisorGroupID = int64(n)
					return err
				case "group":
					s.HypervisorGroup = ""
					_, err := r.optObject(func(key []byte) error {
						if string(key) != "name" {
							return r.skip()
						}
						err := r.scalar(&str)
						s.HypervisorGroup = string(str)
						return err
					})
					return err
				}
				return r.skip()
			})
		case "tasks":
			s.TasksActive, s.PendingActions = false, nil
			_, err = r.optObject(func(key []byte) error {
				switch string(key) {
				case "active":
					err := r.scalar(&bo)
					s.TasksActive = bool(bo)
					return err
				case "actions":
					s.PendingActions = nil
					_, err := r.optObject(func(key []byte) error {
						if string(key) != "pending" {
							return r.skip()
						}
						var err error
						s.PendingActions, err = readList(r, func(a *string) error {
							_, err := r.optObject(func(key []byte) error {
								if string(key) != "action" {
									return r.skip()
								}
								err := r.scalar(&str)
								*a = string(str)
								return err
							})
							return err
						})
						return err
					})
					return err
				}
				return r.skip()
			})
		case "remotestate":
			s.RemoteState = nil
			rs := new(RemoteState)
			var running *FlexBool
			var ok bool
			ok, err = r.optObject(func(key []byte) error {
				if string(key) == "running" {
					if r.peek() == 'n' {
						running = nil
						return r.skip()
					}
					running = new(FlexBool)
					return r.scalar(running)
				}
				return rs.readMember(r, key)
			})
			if ok {
				rs.Running = rs.State == "running"
				if running != nil {
					rs.Running = bool(*running)
				}
				s.RemoteState = rs
			}
		default:
			err = r.skip()
		}
		return err
	})
	if err != nil {
		return err
	}
	if s.OwnerID == 0 {
		s.OwnerID = int64(ownerID)
	}
	switch {
	case commission != nil:
		s.CommissionStatus = int(*commission)
	case commissioned != nil:
		s.CommissionStatus = int(*commissioned)
	}
	switch {
	case settingsResOK:
		s.Resources = settingsRes
	case topResOK:
		s.Resources = topRes
	}
	s.TrafficPeriod = TrafficPeriod{Start: start.Time, End: end.Time, LimitGB: int64(trafficLimit), CountMode: int(countMethod)}
	if s.TrafficPeriod.LimitGB == 0 {
		s.TrafficPeriod.LimitGB = s.Resources.TrafficGB
	}
	for i := range primary {
		s.addInterface(&primary[i], false)
	}
	for i := range secondary {
		s.addInterface(&secondary[i], true)
	}
	return nil
}

// optInt reads a nullable integer: nil for null.
func optInt(r *reader) (*FlexInt, error) {
	if r.peek() == 'n' {
		return nil, r.skip()
	}
	v := new(FlexInt)
	return v, r.scalar(v)
}

// readResources reads an optional resources object (settings.resources, or
// the top level of a /servers/user/{id} item).
func readResources(r *reader) (Resources, bool, error) {
	var res Resources
	var n FlexInt
	ok, err := r.optObject(func(key []byte) error {
		var p *int64
		switch string(key) {
		case "memory":
			p = &res.MemoryMB
		case "storage":
			p = &res.StorageGB
		case "traffic": // traffic and settings are merged when repeated, as encoding/json does with structs
			p = &res.TrafficGB
		case "cpucores":
			p = &res.CPUCores
		default:
			return r.skip()
		}
		err := r.scalar(&n)
		*p = int64(n)
		return err
	})
	return res, ok, err
}

// readMember reads one member of a vnc object.
func (v *VNC) readMember(r *reader, key []byte) error {
	var str FlexString
	var n FlexInt
	var bo FlexBool
	var err error
	switch string(key) {
	case "ip":
		err = r.scalar(&str)
		v.IP = string(str)
	case "hostname":
		err = r.scalar(&str)
		v.Hostname = string(str)
	case "port":
		err = r.scalar(&n)
		v.Port = int(n)
	case "password":
		err = r.scalar(&str)
		v.Password = string(str)
	case "enabled":
		err = r.scalar(&bo)
		v.Enabled = bool(bo)
	case "wss":
		v.WSSToken, v.WSSURL = "", ""
		_, err = r.optObject(func(key []byte) error {
			switch string(key) {
			case "token":
				err := r.scalar(&str)
				v.WSSToken = string(str)
				return err
			case "url":
				err := r.scalar(&str)
				v.WSSURL = string(str)
				return err
			}
			return r.skip()
		})
	default:
		err = r.skip()
	}
	return err
}

// vncJSON is the vnc object of the VNC endpoints' responses.
type vncJSON VNC

// UnmarshalJSON reads a vnc object (anything else, as PHP's false, is none).
func (v *vncJSON) UnmarshalJSON(b []byte) error {
	*v = vncJSON{}
	r := &reader{b: b}
	_, err := r.optObject(func(key []byte) error { return (*VNC)(v).readMember(r, key) })
	return err
}

func (v vncJSON) vnc() VNC { return VNC(v) }

// serverInterface is one network interface of a server object.
type serverInterface struct {
	name, typ string
	ipv4      []IPv4Address
	ipv6      []IPv6Subnet
}

// interfaceReader returns the element reader of a list of interfaces.
func interfaceReader(r *reader) func(*serverInterface) error {
	return func(iface *serverInterface) error {
		var str FlexString
		var n FlexInt
		_, err := r.optObject(func(key []byte) error {
			var err error
			switch string(key) {
			case "name":
				err = r.scalar(&str)
				iface.name = string(str)
			case "type":
				err = r.scalar(&str)
				iface.typ = string(str)
			case "ipv4":
				iface.ipv4, err = readList(r, func(a *IPv4Address) error {
					var res1, res2 FlexString
					_, err := r.optObject(func(key []byte) error {
						var err error
						switch string(key) {
						case "address":
							err = r.scalar(&str)
							a.Address = string(str)
						case "gateway":
							err = r.scalar(&str)
							a.Gateway = string(str)
						case "netmask":
							err = r.scalar(&str)
							a.Netmask = string(str)
						case "resolver1":
							err = r.scalar(&res1)
						case "resolver2":
							err = r.scalar(&res2)
						case "rdns":
							err = r.scalar(&str)
							a.RDNS = string(str)
						default:
							err = r.skip()
						}
						return err
					})
					for _, res := range []FlexString{res1, res2} {
						if res != "" {
							a.Resolvers = append(a.Resolvers, string(res))
						}
					}
					return err
				})
			case "ipv6":
				iface.ipv6, err = readList(r, func(a *IPv6Subnet) error {
					_, err := r.optObject(func(key []byte) error {
						var err error
						switch string(key) {
						case "subnet":
							err = r.scalar(&str)
							a.Subnet = string(str)
						case "cidr":
							err = r.scalar(&n)
							a.CIDR = int(n)
						case "gateway":
							err = r.scalar(&str)
							a.Gateway = string(str)
						case "addresses":
							a.Addresses, err = readList(r, func(s *string) error {
								err := r.scalar(&str)
								*s = string(str)
								return err
							})
						default:
							err = r.skip()
						}
						return err
					})
					return err
				})
			default:
				err = r.skip()
			}
			return err
		})
		return err
	}
}

// addInterface appends an interface's addresses, keeping its name and type.
func (s *Server) addInterface(iface *serverInterface, secondary bool) {
	for _, a := range iface.ipv4 {
		a.Interface, a.Type, a.Secondary = iface.name, iface.typ, secondary
		s.IPv4 = append(s.IPv4, a)
	}
	for _, a := range iface.ipv6 {
		a.Interface, a.Type, a.Secondary = iface.name, iface.typ, secondary
		s.IPv6 = append(s.IPv6, a)
	}
}

// readMember reads one member of a remoteState object ("running" aside).
func (rs *RemoteState) readMember(r *reader, key []byte) error {
	var str FlexString
	var n FlexInt
	var err error
	switch string(key) {
	case "state":
		err = r.scalar(&str)
		rs.State = string(str)
	case "cpu":
		var f FlexFloat
		err = r.scalar(&f)
		rs.CPU = float64(f)
	case "memory":
		rs.Memory = RemoteMemory{}
		m := &rs.Memory
		_, err = r.optObject(func(key []byte) error {
			var p *int64
			switch string(key) {
			case "actual":
				p = &m.ActualKB
			case "unused":
				p = &m.UnusedKB
			case "available":
				p = &m.AvailableKB
			case "rss":
				p = &m.RSSKB
			case "memtotal":
				p = &m.TotalKB
			case "memfree":
				p = &m.FreeKB
			case "memavailable":
				p = &m.MemAvailableKB
			default:
				return r.skip()
			}
			err := r.scalar(&n)
			*p = int64(n)
			return err
		})
	case "disk":
		rs.Disks, err = readDisks(r)
	case "agent":
		rs.FSInfo = nil
		_, err = r.optObject(func(key []byte) error {
			if string(key) != "fsinfo" {
				return r.skip()
			}
			var err error
			rs.FSInfo, err = readList(r, func(f *FSInfo) error {
				_, err := r.optObject(func(key []byte) error {
					var err error
					switch string(key) {
					case "name":
						err = r.scalar(&str)
						f.Name = string(str)
					case "mountpoint":
						err = r.scalar(&str)
						f.Mountpoint = string(str)
					case "type":
						err = r.scalar(&str)
						f.Type = string(str)
					case "used-bytes":
						err = r.scalar(&n)
						f.UsedBytes = int64(n)
					case "total-bytes":
						err = r.scalar(&n)
						f.TotalBytes = int64(n)
					default:
						err = r.skip()
					}
					return err
				})
				return err
			})
			return err
		})
	default:
		err = r.skip()
	}
	return err
}

// readDisks reads remoteState.disk as FlexMap does: an object by device,
// or PHP's list (keyed by index); nil when empty or absent.
func readDisks(r *reader) (map[string]RemoteDisk, error) {
	disk := func(d *RemoteDisk) error {
		var n FlexInt
		_, err := r.optObject(func(key []byte) error {
			var p *int64
			switch string(key) {
			case "rd.bytes":
				p = &d.ReadBytes
			case "wr.bytes":
				p = &d.WriteBytes
			case "capacity":
				p = &d.CapacityBytes
			case "physical":
				p = &d.PhysicalBytes
			case "allocation":
				p = &d.AllocBytes
			default:
				return r.skip()
			}
			err := r.scalar(&n)
			*p = int64(n)
			return err
		})
		return err
	}
	var out map[string]RemoteDisk
	add := func(k string) error {
		var d RemoteDisk
		if err := disk(&d); err != nil {
			return err
		}
		if out == nil {
			out = make(map[string]RemoteDisk)
		}
		out[k] = d
		return nil
	}
	switch r.peek() {
	case '{':
		err := r.object(func([]byte) error { return add(string(r.orig)) })
		return out, err
	case '[':
		i := 0
		err := r.array(func() error {
			err := add(strconv.Itoa(i))
			i++
			return err
		})
		return out, err
	}
	return nil, r.skip()
}
