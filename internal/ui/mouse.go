package ui

import (
	tea "charm.land/bubbletea/v2"
)

// paneAt returns the pane under column x on pageMain.
func (m *Model) paneAt(x int) focus {
	if !m.wide() {
		return m.focus
	}
	side, lw, _ := m.paneWidths()
	if m.sidebarShown() {
		if x < side {
			return focusSidebar
		}
		x -= side + 1
	}
	if x < lw {
		return focusList
	}
	return focusReader
}

func (m *Model) handleWheel(ms tea.Mouse) tea.Cmd {
	if m.page != pageMain || ms.Y >= m.paneHeight() {
		return nil
	}
	d := 3
	switch ms.Button {
	case tea.MouseWheelUp:
		d = -3
	case tea.MouseWheelDown:
	default:
		return nil
	}
	switch m.paneAt(ms.X) {
	case focusSidebar:
		m.src.move(d)
	case focusReader:
		if d < 0 {
			m.reader.vp.ScrollUp(-d)
		} else {
			m.reader.vp.ScrollDown(d)
		}
	default:
		m.list.scroll(d)
		return m.loadMissing()
	}
	return nil
}

func (m *Model) handleClick(ms tea.Mouse) tea.Cmd {
	if m.page != pageMain || ms.Button != tea.MouseLeft || ms.Y >= m.paneHeight() {
		return nil
	}
	switch p := m.paneAt(ms.X); p {
	case focusSidebar:
		// A click picks the feed or tag at once.
		y := ms.Y - m.pickerTitleLines()
		if y < 0 {
			return nil
		}
		m.src.moveTo(m.src.offset + y)
		if s, ok := m.src.selected(); ok && m.src.cursor == m.src.offset+y {
			m.focus = focusList
			return m.setQuery(s.q)
		}
	case focusReader:
		if m.reader.open() {
			m.focus = focusReader
		}
	default:
		// A click selects a row; a click on the selected row opens it.
		i := m.list.offset + ms.Y
		if i < m.list.total {
			again := i == m.list.cursor && m.focus == focusList
			m.list.moveTo(i)
			m.focus = focusList
			if again {
				return m.openAt(i, true)
			}
			return m.loadMissing()
		}
	}
	return nil
}
