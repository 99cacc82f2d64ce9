package vfsim

import (
	"bufio"
	"context"
	"crypto/des"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Console size. 640x400 fits 91x30 cells of the 7x13 font.
const (
	fbWidth  = 640
	fbHeight = 400
)

// vncWebsocket serves /vnc/?token=<uuid>: a websocket (subprotocol
// "binary") carrying RFB 3.8 with VNC authentication. Plain GET → 405.
func (s *Sim) vncWebsocket(w http.ResponseWriter, r *http.Request) {
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		w.Header().Set("Allow", "GET (websocket)")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	token := r.URL.Query().Get("token")
	s.mu.Lock()
	t, ok := s.vncTokens[token]
	valid := ok && s.now().Before(t.Expires) && s.servers[t.ServerID] != nil
	s.mu.Unlock()
	if !valid {
		http.Error(w, "invalid or expired console token", http.StatusForbidden)
		return
	}
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"binary"}, InsecureSkipVerify: true})
	if err != nil {
		return // Accept already wrote the error
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel)
	defer stop()
	conn := websocket.NetConn(ctx, c, websocket.MessageBinary)
	defer conn.Close()
	if err := s.serveRFB(ctx, conn, t.ServerID); err != nil && !errors.Is(err, io.EOF) && ctx.Err() == nil {
		s.log.Debug("vnc session ended", "server", t.ServerID, "err", err)
	}
}

// pixelFormat is RFB's PIXEL_FORMAT.
type pixelFormat struct {
	BPP, Depth, BigEndian, TrueColor uint8
	RMax, GMax, BMax                 uint16
	RShift, GShift, BShift           uint8
}

var defaultPF = pixelFormat{BPP: 32, Depth: 24, TrueColor: 1, RMax: 255, GMax: 255, BMax: 255, RShift: 16, GShift: 8, BShift: 0}

func (pf pixelFormat) bytes() []byte {
	b := make([]byte, 16)
	b[0], b[1], b[2], b[3] = pf.BPP, pf.Depth, pf.BigEndian, pf.TrueColor
	binary.BigEndian.PutUint16(b[4:], pf.RMax)
	binary.BigEndian.PutUint16(b[6:], pf.GMax)
	binary.BigEndian.PutUint16(b[8:], pf.BMax)
	b[10], b[11], b[12] = pf.RShift, pf.GShift, pf.BShift
	return b
}

func parsePF(b []byte) pixelFormat {
	return pixelFormat{BPP: b[0], Depth: b[1], BigEndian: b[2], TrueColor: b[3],
		RMax: binary.BigEndian.Uint16(b[4:]), GMax: binary.BigEndian.Uint16(b[6:]), BMax: binary.BigEndian.Uint16(b[8:]),
		RShift: b[10], GShift: b[11], BShift: b[12]}
}

// vncKey turns a VNC password into a DES key: 8 bytes, zero padded, each
// byte's bits reversed (the classic VNC quirk).
func vncKey(password string) []byte {
	key := make([]byte, 8)
	copy(key, password)
	for i, b := range key {
		var r byte
		for j := range 8 {
			if b&(1<<j) != 0 {
				r |= 1 << (7 - j)
			}
		}
		key[i] = r
	}
	return key
}

// vncEncrypt is the VNC-auth response to a 16-byte challenge.
func vncEncrypt(password string, challenge []byte) []byte {
	c, _ := des.NewCipher(vncKey(password)) // key is always 8 bytes
	out := make([]byte, 16)
	c.Encrypt(out[:8], challenge[:8])
	c.Encrypt(out[8:], challenge[8:16])
	return out
}

// serveRFB runs one RFB session for a server.
func (s *Sim) serveRFB(ctx context.Context, conn net.Conn, serverID int) error {
	br := bufio.NewReader(conn)
	bw := bufio.NewWriterSize(conn, 64<<10)
	if _, err := bw.WriteString("RFB 003.008\n"); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	ver := make([]byte, 12)
	if _, err := io.ReadFull(br, ver); err != nil {
		return err
	}
	var major, minor int
	if _, err := fmt.Sscanf(string(ver), "RFB %03d.%03d\n", &major, &minor); err != nil || major != 3 {
		return fmt.Errorf("bad client version %q", ver)
	}
	if minor >= 7 {
		_, _ = bw.Write([]byte{1, 2}) // one security type: VNC Authentication
		if err := bw.Flush(); err != nil {
			return err
		}
		sel, err := br.ReadByte()
		if err != nil {
			return err
		}
		if sel != 2 {
			return fmt.Errorf("client chose security type %d", sel)
		}
	} else {
		_ = binary.Write(bw, binary.BigEndian, uint32(2))
	}
	challenge := make([]byte, 16)
	_, _ = rand.Read(challenge)
	_, _ = bw.Write(challenge)
	if err := bw.Flush(); err != nil {
		return err
	}
	resp := make([]byte, 16)
	if _, err := io.ReadFull(br, resp); err != nil {
		return err
	}
	s.mu.Lock()
	sv := s.servers[serverID]
	password, name := "", ""
	if sv != nil {
		password, name = sv.VNCPassword, sv.Name
	}
	s.mu.Unlock()
	if sv == nil || subtle.ConstantTimeCompare(resp, vncEncrypt(password, challenge)) != 1 {
		_ = binary.Write(bw, binary.BigEndian, uint32(1))
		if minor >= 8 {
			reason := "Authentication failed"
			_ = binary.Write(bw, binary.BigEndian, uint32(len(reason)))
			_, _ = bw.WriteString(reason)
		}
		_ = bw.Flush()
		return errors.New("vnc authentication failed")
	}
	_ = binary.Write(bw, binary.BigEndian, uint32(0))
	if err := bw.Flush(); err != nil {
		return err
	}
	if _, err := br.ReadByte(); err != nil { // ClientInit (shared flag)
		return err
	}
	pf := defaultPF
	desktop := "VirtFusion " + name
	hdr := make([]byte, 4)
	binary.BigEndian.PutUint16(hdr[0:], fbWidth)
	binary.BigEndian.PutUint16(hdr[2:], fbHeight)
	_, _ = bw.Write(hdr)
	_, _ = bw.Write(pf.bytes())
	_ = binary.Write(bw, binary.BigEndian, uint32(len(desktop)))
	_, _ = bw.WriteString(desktop)
	if err := bw.Flush(); err != nil {
		return err
	}

	sess := &consoleSession{}
	var last *image.RGBA
	for {
		typ, err := br.ReadByte()
		if err != nil {
			return err
		}
		switch typ {
		case 0: // SetPixelFormat
			b := make([]byte, 19)
			if _, err := io.ReadFull(br, b); err != nil {
				return err
			}
			pf = parsePF(b[3:])
			last = nil // force a full repaint in the new format
		case 2: // SetEncodings
			b := make([]byte, 3)
			if _, err := io.ReadFull(br, b); err != nil {
				return err
			}
			n := int(binary.BigEndian.Uint16(b[1:]))
			if _, err := io.CopyN(io.Discard, br, int64(n*4)); err != nil {
				return err
			}
		case 3: // FramebufferUpdateRequest
			b := make([]byte, 9)
			if _, err := io.ReadFull(br, b); err != nil {
				return err
			}
			incremental := b[0] != 0
			img, rect := s.nextFrame(ctx, serverID, sess, last, incremental)
			if img == nil {
				return ctx.Err()
			}
			if err := writeUpdate(bw, img, rect, pf); err != nil {
				return err
			}
			last = img
		case 4: // KeyEvent
			b := make([]byte, 7)
			if _, err := io.ReadFull(br, b); err != nil {
				return err
			}
			if b[0] != 0 {
				sess.key(binary.BigEndian.Uint32(b[3:]))
			}
		case 5: // PointerEvent
			if _, err := io.CopyN(io.Discard, br, 5); err != nil {
				return err
			}
		case 6: // ClientCutText
			b := make([]byte, 7)
			if _, err := io.ReadFull(br, b); err != nil {
				return err
			}
			if _, err := io.CopyN(io.Discard, br, int64(binary.BigEndian.Uint32(b[3:]))); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unknown client message %d", typ)
		}
	}
}

// nextFrame renders the console. For an incremental request it waits
// (up to a few seconds) until something changed and returns only the
// changed rectangle; nil image means ctx ended.
func (s *Sim) nextFrame(ctx context.Context, serverID int, sess *consoleSession, last *image.RGBA, incremental bool) (*image.RGBA, image.Rectangle) {
	deadline := time.Now().Add(3 * time.Second)
	for {
		img := s.renderConsole(serverID, sess)
		if !incremental || last == nil {
			return img, img.Bounds()
		}
		if r := diffRect(last, img); !r.Empty() {
			return img, r
		}
		if time.Now().After(deadline) {
			return img, image.Rect(0, 0, 1, 1) // keep-alive: one pixel
		}
		select {
		case <-ctx.Done():
			return nil, image.Rectangle{}
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func diffRect(a, b *image.RGBA) image.Rectangle {
	var r image.Rectangle
	w := b.Bounds().Dx()
	for y := range b.Bounds().Dy() {
		ra, rb := a.Pix[y*a.Stride:y*a.Stride+w*4], b.Pix[y*b.Stride:y*b.Stride+w*4]
		if string(ra) == string(rb) {
			continue
		}
		x0, x1 := 0, w-1
		for x0 < w && string(ra[x0*4:x0*4+4]) == string(rb[x0*4:x0*4+4]) {
			x0++
		}
		for x1 > x0 && string(ra[x1*4:x1*4+4]) == string(rb[x1*4:x1*4+4]) {
			x1--
		}
		r = r.Union(image.Rect(x0, y, x1+1, y+1))
	}
	return r
}

// writeUpdate sends one raw-encoded rectangle.
func writeUpdate(bw *bufio.Writer, img *image.RGBA, r image.Rectangle, pf pixelFormat) error {
	hdr := make([]byte, 16)
	hdr[0] = 0 // FramebufferUpdate
	binary.BigEndian.PutUint16(hdr[2:], 1)
	binary.BigEndian.PutUint16(hdr[4:], uint16(r.Min.X))
	binary.BigEndian.PutUint16(hdr[6:], uint16(r.Min.Y))
	binary.BigEndian.PutUint16(hdr[8:], uint16(r.Dx()))
	binary.BigEndian.PutUint16(hdr[10:], uint16(r.Dy()))
	// hdr[12:16] = encoding 0 (raw)
	if _, err := bw.Write(hdr); err != nil {
		return err
	}
	bpp := max(1, int(pf.BPP)/8)
	px := make([]byte, bpp)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i := img.PixOffset(x, y)
			cr, cg, cb := uint32(img.Pix[i]), uint32(img.Pix[i+1]), uint32(img.Pix[i+2])
			v := (cr*uint32(pf.RMax)/255)<<pf.RShift | (cg*uint32(pf.GMax)/255)<<pf.GShift | (cb*uint32(pf.BMax)/255)<<pf.BShift
			for k := range bpp {
				if pf.BigEndian != 0 {
					px[k] = byte(v >> (8 * (bpp - 1 - k)))
				} else {
					px[k] = byte(v >> (8 * k))
				}
			}
			if _, err := bw.Write(px); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// consoleSession is per-connection console state (what was typed).
type consoleSession struct{ typed string }

func (c *consoleSession) key(sym uint32) {
	switch {
	case sym >= 0x20 && sym < 0x7f:
		if len(c.typed) < 40 {
			c.typed += string(rune(sym))
		}
	case sym == 0xff08 && c.typed != "": // BackSpace
		c.typed = c.typed[:len(c.typed)-1]
	case sym == 0xff0d: // Return
		c.typed = ""
	}
}

var (
	colFG    = color.RGBA{0xc0, 0xc0, 0xc0, 0xff}
	colOK    = color.RGBA{0x4e, 0xc9, 0x4e, 0xff}
	colDim   = color.RGBA{0x60, 0x60, 0x60, 0xff}
	colWarn  = color.RGBA{0xf5, 0xc5, 0x42, 0xff}
	colBlue  = color.RGBA{0x10, 0x2a, 0x6b, 0xff}
	colWhite = color.RGBA{0xff, 0xff, 0xff, 0xff}
	colBlack = color.RGBA{0, 0, 0, 0xff}
)

// renderConsole draws what the server's screen shows now.
func (s *Sim) renderConsole(serverID int, sess *consoleSession) *image.RGBA {
	s.mu.Lock()
	s.tickLocked(s.now())
	sv := s.servers[serverID]
	var (
		state, osName, host, name string
		running, suspended        bool
		ips                       []string
		progress                  int
	)
	if sv != nil {
		state, running, suspended = sv.State, sv.Running, sv.Suspended
		osName, name = s.osName(sv.TemplateID), sv.Name
		host = sv.Hostname
		for _, ip := range sv.IPv4 {
			ips = append(ips, ip.Addr.String())
		}
		if sv.IPv6Subnet != "" {
			ips = append(ips, sv.IPv6Subnet+"1")
		}
		if q := s.queue[sv.ActiveTask]; q != nil && q.Action == "build_server" {
			progress, _ = s.renderQueue(q)["progress"].(int)
		}
	}
	s.mu.Unlock()
	if host == "" {
		host = strings.ToLower(strings.ReplaceAll(name, " ", "-"))
	}
	short, _, _ := strings.Cut(host, ".")
	if short == "" {
		short = "localhost"
	}
	blink := time.Now().UnixMilli()/500%2 == 0

	img := image.NewRGBA(image.Rect(0, 0, fbWidth, fbHeight))
	draw.Draw(img, img.Bounds(), image.NewUniform(colBlack), image.Point{}, draw.Src)
	switch {
	case sv == nil:
		centered(img, fbHeight/2, "Server not found", colDim)
	case suspended:
		centered(img, fbHeight/2-8, "This server has been suspended.", colWarn)
		centered(img, fbHeight/2+10, "Please contact support.", colDim)
	case state == stateQueued:
		draw.Draw(img, img.Bounds(), image.NewUniform(colBlue), image.Point{}, draw.Src)
		text(img, 2, 2, "VirtFusion automated installer", colWhite)
		text(img, 2, 5, "Installing "+osName+" on "+name+" ...", colWhite)
		bar := 60 * progress / 100
		text(img, 2, 7, "["+strings.Repeat("#", bar)+strings.Repeat(" ", 60-bar)+fmt.Sprintf("] %3d%%", progress), colWhite)
		text(img, 2, 9, "Partitioning disk, writing image, configuring cloud-init.", colWhite)
	case !running:
		centered(img, fbHeight/2, "Server is powered off", colDim)
	default:
		kernel := "6.1.0-28-amd64"
		lines := []string{
			"[    0.000000] Linux version " + kernel + " (gcc 12.2.0) #1 SMP PREEMPT_DYNAMIC",
			"[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz root=/dev/vda1 ro console=tty0",
			"[    1.204511] virtio_blk virtio2: [vda] disk, 512-byte logical blocks",
			"[  OK  ] Started systemd-journald.service - Journal Service.",
			"[  OK  ] Finished cloud-init.service - Cloud-init: Network Stage.",
			"[  OK  ] Started qemu-guest-agent.service - QEMU Guest Agent.",
			"[  OK  ] Started ssh.service - OpenBSD Secure Shell server.",
			"[  OK  ] Reached target multi-user.target - Multi-User System.",
			"",
			osName + " " + short + " tty1",
			"",
			"eth0: " + strings.Join(ips, " "),
			"",
		}
		for i, l := range lines {
			if rest, ok := strings.CutPrefix(l, "[  OK  ]"); ok {
				text(img, 0, i, "[", colFG)
				text(img, 1, i, "  OK  ", colOK)
				text(img, 7, i, "]"+rest, colFG)
				continue
			}
			text(img, 0, i, l, colFG)
		}
		prompt := short + " login: " + sess.typed
		text(img, 0, len(lines), prompt, colFG)
		if blink {
			x := len(prompt) * 7
			y := len(lines)*13 + 11
			draw.Draw(img, image.Rect(x, y, x+7, y+2), image.NewUniform(colFG), image.Point{}, draw.Src)
		}
	}
	return img
}

// text draws s at character cell (col, row).
func text(img *image.RGBA, col, row int, s string, c color.Color) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13,
		Dot: fixed.P(col*7+2, row*13+11)}
	d.DrawString(s)
}

func centered(img *image.RGBA, y int, s string, c color.Color) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13}
	w := d.MeasureString(s).Ceil()
	d.Dot = fixed.P((fbWidth-w)/2, y)
	d.DrawString(s)
}
