package gateway

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/edgev1/gateway/internal/config"
	"github.com/edgev1/gateway/loader"
)

// Diff is what a Reload changes: modules created, destroyed and re-created, links
// added and removed, loaders whose configuration changed.
type Diff struct {
	// Added are the modules created (in configuration order).
	Added []string `json:"added,omitempty"`
	// Removed are the modules destroyed.
	Removed []string `json:"removed,omitempty"`
	// Recreated are the modules destroyed and created again because their loader,
	// entry point, args, queue settings or loader configuration changed.
	Recreated []string `json:"recreated,omitempty"`
	// LinksAdded and LinksRemoved are (source, sink) pairs. Links of re-created
	// modules that stay in the configuration are restored, not listed.
	LinksAdded   [][2]string `json:"links_added,omitempty"`
	LinksRemoved [][2]string `json:"links_removed,omitempty"`
	// Loaders are the loaders whose "loaders" entry was added, changed or removed.
	Loaders []string `json:"loaders,omitempty"`
	// Warnings are problems that did not stop the reload (a removed module stuck in
	// Receive, left alone).
	Warnings []string `json:"warnings,omitempty"`
}

// Empty reports whether the diff changes nothing.
func (d Diff) Empty() bool {
	return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Recreated) == 0 &&
		len(d.LinksAdded) == 0 && len(d.LinksRemoved) == 0 && len(d.Loaders) == 0
}

// String lists the changes on one line: "modules +a -b ~c; links +x->y -p->q;
// loaders ~java", or "no changes".
func (d Diff) String() string {
	if d.Empty() {
		return "no changes"
	}
	var parts []string
	var mods []string
	for _, n := range d.Added {
		mods = append(mods, "+"+n)
	}
	for _, n := range d.Removed {
		mods = append(mods, "-"+n)
	}
	for _, n := range d.Recreated {
		mods = append(mods, "~"+n)
	}
	if len(mods) > 0 {
		parts = append(parts, "modules "+strings.Join(mods, " "))
	}
	var links []string
	for _, l := range d.LinksAdded {
		links = append(links, "+"+l[0]+"->"+l[1])
	}
	for _, l := range d.LinksRemoved {
		links = append(links, "-"+l[0]+"->"+l[1])
	}
	if len(links) > 0 {
		parts = append(parts, "links "+strings.Join(links, " "))
	}
	if len(d.Loaders) > 0 {
		parts = append(parts, "loaders ~"+strings.Join(d.Loaders, " ~"))
	}
	return strings.Join(parts, "; ")
}

// reloadPlan is a Diff plus what applying it needs.
type reloadPlan struct {
	diff      Diff
	loaders   map[string]*config.Loader // changed loaders: new entry, nil = back to default / gone
	add       []config.Module
	recreate  []config.Module // new entries; the old modules are g.byName[name]
	remove    []*Module
	linksAdd  [][2]string // LinksAdded plus the links of re-created modules
	linksDrop [][2]string
}

// Plan returns what Reload(cfg) would change, without changing anything.
func (g *Gateway) Plan(cfg *config.Config) (Diff, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.destroyed {
		return Diff{}, ErrDestroyed
	}
	return g.planLocked(cfg).diff, nil
}

func (g *Gateway) planLocked(cfg *config.Config) *reloadPlan {
	p := &reloadPlan{loaders: map[string]*config.Loader{}}

	want := map[string]config.Loader{}
	for _, e := range cfg.Loaders {
		want[e.Name] = e
	}
	for name, e := range want {
		if old, ok := g.entries[name]; !ok || !sameLoader(old, e) {
			e := e
			p.loaders[name] = &e
		}
	}
	for name := range g.entries {
		if _, ok := want[name]; !ok {
			p.loaders[name] = nil
		}
	}
	for name := range p.loaders {
		p.diff.Loaders = append(p.diff.Loaders, name)
	}
	sort.Strings(p.diff.Loaders)

	inConfig := map[string]bool{}
	recreated := map[string]bool{}
	for _, m := range cfg.Modules {
		inConfig[m.Name] = true
		old := g.byName[m.Name]
		_, loaderChanged := p.loaders[m.Loader]
		switch {
		case old == nil:
			p.add = append(p.add, m)
			p.diff.Added = append(p.diff.Added, m.Name)
		case !old.hasCfg || !sameModule(old.cfg, m) || loaderChanged:
			p.recreate = append(p.recreate, m)
			p.diff.Recreated = append(p.diff.Recreated, m.Name)
			recreated[m.Name] = true
		}
	}
	for i := len(g.modules) - 1; i >= 0; i-- { // reverse creation order, like Destroy
		if m := g.modules[i]; !inConfig[m.Name] {
			p.remove = append(p.remove, m)
			p.diff.Removed = append(p.diff.Removed, m.Name)
		}
	}

	cur := g.broker.Links()
	have := map[[2]string]bool{}
	for _, l := range cur {
		have[l] = true
	}
	wanted := map[[2]string]bool{}
	for _, l := range cfg.Links {
		k := [2]string{l.Source, l.Sink}
		wanted[k] = true
		switch {
		case !have[k]:
			p.linksAdd = append(p.linksAdd, k)
			p.diff.LinksAdded = append(p.diff.LinksAdded, k)
		case recreated[k[0]] || recreated[k[1]]:
			p.linksAdd = append(p.linksAdd, k) // dropped with the old module, restored
		}
	}
	for _, l := range cur {
		if !wanted[l] {
			p.linksDrop = append(p.linksDrop, l)
			p.diff.LinksRemoved = append(p.diff.LinksRemoved, l)
		}
	}
	return p
}

func sameLoader(a, b config.Loader) bool {
	return a.Type == b.Type && compactRaw(a.Configuration) == compactRaw(b.Configuration)
}

func sameModule(a, b config.Module) bool {
	if a.Loader != b.Loader || a.Queue != b.Queue || compactRaw(a.Entrypoint) != compactRaw(b.Entrypoint) {
		return false
	}
	if (a.Args == nil) != (b.Args == nil) {
		return false
	}
	return a.Args == nil || *a.Args == *b.Args
}

// compactRaw normalizes a raw JSON value for comparison ("" for nil).
func compactRaw(raw []byte) string {
	if raw == nil {
		return ""
	}
	return "=" + config.Compact(gjson.ParseBytes(raw))
}

// Reload makes the gateway match cfg, a complete configuration: it creates the
// modules cfg adds, destroys those it no longer has, re-creates those whose loader,
// entry point, args or queue settings (or loader configuration) changed, and adds and
// removes links. Modules and links that stay are left as they are: their queues and
// the messages in them are untouched. New modules are started when the gateway is.
//
// Order: loaders, new modules, re-created modules, new links, removed links, removed
// modules. Removed modules are destroyed last, after everything that can fail, so on
// any failure every change is undone and the previous configuration keeps running
// (a re-created module is created again from its previous entry). On error the
// returned Diff says what was attempted.
func (g *Gateway) Reload(cfg *config.Config) (Diff, error) {
	g.mu.Lock()
	if g.destroyed {
		g.mu.Unlock()
		return Diff{}, ErrDestroyed
	}
	p := g.planLocked(cfg)
	toStart, err := g.applyLocked(p, cfg)
	started := g.started
	g.mu.Unlock()
	if started {
		for _, m := range toStart {
			g.startModule(m)
		}
	}
	if err != nil {
		g.log.Error("reload failed; the previous configuration keeps running", "attempted", p.diff.String(), "err", err)
		return p.diff, err
	}
	if p.diff.Empty() {
		g.log.Info("configuration reloaded: no changes")
		return p.diff, nil
	}
	attrs := []any{"changes", p.diff.String()}
	if len(p.diff.Warnings) > 0 {
		attrs = append(attrs, "warnings", p.diff.Warnings)
	}
	g.log.Info("configuration reloaded", attrs...)
	g.emit(ModuleListChanged)
	return p.diff, nil
}

// applyLocked applies a plan. It returns the modules to start (new ones on success,
// restored ones after a rollback).
func (g *Gateway) applyLocked(p *reloadPlan, cfg *config.Config) ([]*Module, error) {
	oldOrder := append([]*Module(nil), g.modules...)
	oldLinks := g.broker.Links()
	var undo []func() error     // run in reverse order
	var restores []func() error // then, with the previous loaders back, in order
	undoLoaders := func() {}

	rollback := func(cause error) ([]*Module, error) {
		errs := []error{cause}
		for i := len(undo) - 1; i >= 0; i-- {
			if err := undo[i](); err != nil {
				errs = append(errs, fmt.Errorf("rollback: %w", err))
			}
		}
		undoLoaders()
		for _, r := range restores {
			if err := r(); err != nil {
				errs = append(errs, fmt.Errorf("rollback: %w", err))
			}
		}
		// Module order as before (restored modules take their old place).
		var order []*Module
		var restored []*Module
		seen := map[*Module]bool{}
		for _, m := range oldOrder {
			cur := g.byName[m.Name]
			if cur == nil || seen[cur] {
				continue
			}
			seen[cur] = true
			order = append(order, cur)
			if cur != m {
				restored = append(restored, cur)
			}
		}
		for _, m := range g.modules {
			if !seen[m] {
				order = append(order, m)
			}
		}
		g.modules = order
		g.publishLocked()
		// Links as before.
		want := map[[2]string]bool{}
		for _, l := range oldLinks {
			want[l] = true
		}
		for _, l := range g.broker.Links() {
			if !want[l] {
				_ = g.broker.RemoveLink(l[0], l[1])
			}
		}
		have := map[[2]string]bool{}
		for _, l := range g.broker.Links() {
			have[l] = true
		}
		for _, l := range oldLinks {
			if !have[l] {
				if err := g.broker.AddLink(l[0], l[1]); err != nil {
					errs = append(errs, fmt.Errorf("rollback: link %q -> %q: %w", l[0], l[1], err))
				}
			}
		}
		return restored, fmt.Errorf("gateway: reload: %w", errors.Join(errs...))
	}

	// 1. Loaders.
	u, err := g.reconfigureLoadersLocked(p.loaders, cfg)
	if err != nil {
		return rollback(err)
	}
	undoLoaders = u

	// 2. New modules.
	for _, m := range p.add {
		mod, err := g.addModuleLocked(m)
		if err != nil {
			return rollback(fmt.Errorf("modules[%d]: %w", m.Index, err))
		}
		undo = append(undo, func() error { return g.removeLocked(mod) })
	}

	// 3. Re-created modules: the old one goes (delivering what is queued for it),
	// the new one is created under the same name.
	for _, m := range p.recreate {
		old := g.byName[m.Name]
		restore := func() error {
			if !old.hasCfg {
				return fmt.Errorf("module %q: cannot be restored (it was not created from a configuration)", old.Name)
			}
			if _, err := g.addModuleLocked(old.cfg); err != nil {
				return fmt.Errorf("module %q: creating it again from its previous entry: %w", old.Name, err)
			}
			return nil
		}
		err := g.removeLocked(old)
		restores = append(restores, restore)
		if err != nil {
			return rollback(fmt.Errorf("modules[%d]: re-creating %q: %w", m.Index, m.Name, err))
		}
		mod, err := g.addModuleLocked(m)
		if err != nil {
			return rollback(fmt.Errorf("modules[%d]: %w", m.Index, err))
		}
		undo = append(undo, func() error { return g.removeLocked(mod) })
	}

	// 4. Links.
	for _, l := range p.linksAdd {
		if err := g.broker.AddLink(l[0], l[1]); err != nil {
			return rollback(fmt.Errorf("link %q -> %q: %w", l[0], l[1], err))
		}
	}
	for _, l := range p.linksDrop {
		_ = g.broker.RemoveLink(l[0], l[1]) // already gone when it touched a re-created module
	}

	// 5. Removed modules: nothing can be undone past this point.
	for _, m := range p.remove {
		if err := g.removeLocked(m); err != nil {
			p.diff.Warnings = append(p.diff.Warnings, err.Error())
		}
	}

	// Modules in configuration order (modules not from a configuration keep theirs, after).
	var order []*Module
	for _, m := range cfg.Modules {
		if mod := g.byName[m.Name]; mod != nil {
			order = append(order, mod)
		}
	}
	for _, m := range g.modules {
		if !slices.Contains(order, m) {
			order = append(order, m)
		}
	}
	g.modules = order
	g.publishLocked()

	var toStart []*Module
	for _, m := range cfg.Modules {
		if mod := g.byName[m.Name]; mod != nil && !mod.started.Load() {
			toStart = append(toStart, mod)
		}
	}
	return toStart, nil
}

// reconfigureLoadersLocked applies changed "loaders" entries (nil: the entry is gone;
// a default loader goes back to its default configuration, another loader is
// deleted). It returns an undo function.
func (g *Gateway) reconfigureLoadersLocked(changes map[string]*config.Loader, cfg *config.Config) (func(), error) {
	where := func(name string) string {
		for i, e := range cfg.Loaders {
			if e.Name == name {
				return fmt.Sprintf("loaders[%d] (%q)", i, name)
			}
		}
		return fmt.Sprintf("loader %q", name)
	}
	type saved struct {
		l      loader.Loader
		had    bool
		e      config.Loader
		hadCfg bool
	}
	prev := map[string]saved{}
	undo := func() {
		for name, s := range prev {
			if s.had {
				g.loaders[name] = s.l
			} else {
				delete(g.loaders, name)
			}
			if s.hadCfg {
				g.entries[name] = s.e
			} else {
				delete(g.entries, name)
			}
		}
	}
	names := make([]string, 0, len(changes))
	for n := range changes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		e := changes[name]
		var s saved
		s.l, s.had = g.loaders[name]
		s.e, s.hadCfg = g.entries[name]
		prev[name] = s
		isDefault := slices.Contains(loader.DefaultTypes, name)
		if e == nil {
			delete(g.entries, name)
			k, ok := loader.Lookup(name)
			if !isDefault || !ok {
				delete(g.loaders, name)
				continue
			}
			l, err := k.New(name, nil)
			if err != nil {
				undo()
				return nil, fmt.Errorf("default loader %q: %w", name, err)
			}
			g.loaders[name] = l
			continue
		}
		k, ok := loader.Lookup(e.Type)
		if !ok {
			undo()
			return nil, fmt.Errorf("%s: %w %q (known: %v)", where(name), ErrUnknownType, e.Type, loader.Types())
		}
		if isDefault && e.Type != name {
			undo()
			return nil, fmt.Errorf("%s: type %q does not match the default loader of type %q", where(name), e.Type, name)
		}
		l, err := k.New(name, e.Configuration)
		if err != nil {
			undo()
			return nil, fmt.Errorf("%s: %w", where(name), err)
		}
		g.loaders[name] = l
		g.entries[name] = *e
	}
	return undo, nil
}
