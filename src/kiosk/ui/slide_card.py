"""One attract slide laid out as widgets, rendered once to a pixmap for the stage to show."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.core.i18n import format_date, tr
from kiosk.core.model import Content, Story
from kiosk.core.playlist import Slide, SlideKind
from kiosk.core.problems import Language
from kiosk.ui.resources import ImageCache, assets_dir
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import MarkdownView, text_label


class ImageBox(QLabel):
    """An image fitted into whatever room the layout gives it."""

    def __init__(self, images: ImageCache) -> None:
        super().__init__()
        self.images = images
        self.path: Path | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(1, 1)
        self.setStyleSheet("background: transparent;")

    def set_image(self, path: Path | None) -> None:
        self.path = path
        self.setVisible(path is not None)
        self._render()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._render()

    def _render(self) -> None:
        if self.path is None or self.width() < 8 or self.height() < 8:
            self.clear()
            return
        image = self.images.get(self.path, QSize(self.width(), self.height()))
        self.setPixmap(QPixmap.fromImage(image))

    def sizeHint(self) -> QSize:
        return QSize(10, 10)


class Badge(QLabel):
    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.setFont(theme.font(theme.small_px, bold=True))
        pad_v, pad_h = theme.px(8), theme.px(24)
        self.setStyleSheet(f"color: {theme.colours.white}; background: {theme.colours.blue};"
                           f" border-radius: {theme.px(24)}px; padding: {pad_v}px {pad_h}px;")


class ItemCard(QWidget):
    """A picture beside (or above, in portrait) a badge, a title, a line of details and the
    text: how a slide, an anniversary page and a story are all laid out."""

    def __init__(self, theme: Theme, images: ImageCache, top_margin: int | None = None) -> None:
        super().__init__()
        self.theme = theme
        self.image = ImageBox(images)
        self.badge = Badge(theme)
        self.title = text_label(theme, theme.title_px, bold=True)
        self.meta = text_label(theme, theme.small_px, colour=theme.colours.ink_soft)
        # A long story in the high-contrast mode may shrink to the usual body size (never
        # below): larger type where it fits, and never a cut text.
        self.body = MarkdownView(theme, theme.text_px(44), theme.px(36))

        text = QVBoxLayout()
        text.setSpacing(theme.px(24))
        badge_row = QHBoxLayout()
        badge_row.addWidget(self.badge)
        badge_row.addStretch(1)
        text.addLayout(badge_row)
        text.addWidget(self.title)
        text.addWidget(self.meta)
        text.addWidget(self.body, 1)

        direction = (QBoxLayout.Direction.TopToBottom if theme.portrait
                     else QBoxLayout.Direction.LeftToRight)
        self.box = QBoxLayout(direction, self)
        top = theme.margin * 2 if top_margin is None else top_margin
        self.box.setContentsMargins(theme.margin * 2, top, theme.margin * 2, theme.margin)
        self.box.setSpacing(theme.margin * 2)
        self.box.addWidget(self.image, 10)
        self.box.addLayout(text, 11)

    # Shares of the room (picture, text) tried in turn until the text fits at a readable size:
    # a long story gets a smaller picture, and a very long one none, rather than being cut.
    LANDSCAPE_SHARES = ((10, 11), (7, 13), (0, 1))
    PORTRAIT_SHARES = ((9, 11), (6, 14), (4, 16), (0, 1))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._balance()

    def _balance(self) -> None:
        """Give the text the room it needs; without a picture, keep lines short enough to
        read (about 70 characters) by centring the text column."""
        has_image = self.image.path is not None
        side = self.theme.margin * 2
        if not has_image and not self.theme.portrait:
            readable = self.theme.px(1400)
            side = max(side, (self.width() - readable) // 2)
        margins = self.box.contentsMargins()
        self.box.setContentsMargins(side, margins.top(), side, margins.bottom())
        shares = self.PORTRAIT_SHARES if self.theme.portrait else self.LANDSCAPE_SHARES
        for picture, text in shares if has_image else ((0, 1),):
            self.image.setVisible(picture > 0)
            self.box.setStretch(0, picture)
            self.box.setStretch(1, text)
            self.box.activate()
            if not self.body.overflows():
                break

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor(self.theme.colours.paper))
        painter.end()

    def show_item(self, badge: str, title: str, meta: str, body: str,
                  image: Path | None) -> None:
        self.badge.setText(badge)
        self.badge.setVisible(bool(badge))
        self.title.setText(title)
        self.meta.setText(meta)
        self.meta.setVisible(bool(meta))
        self.body.set_markdown(body)
        self.image.set_image(image)
        self._balance()


def story_meta(story: Story, lang: Language) -> str:
    """«Центр госуслуг района Марьино · 14 июля 2023»."""
    parts = [story.centre.get(lang), format_date(story.date, lang) if story.date else ""]
    return " · ".join(part for part in parts if part)


class SlideCard(ItemCard):
    """An attract slide. Never shown itself: `render_slide()` paints it to a pixmap."""

    def __init__(self, theme: Theme, images: ImageCache) -> None:
        super().__init__(theme, images)

    def fill(self, slide: Slide, content: Content, lang: Language) -> None:
        image: Path | None = None
        badge, title, meta, body = "", "", "", ""
        if slide.kind is SlideKind.ANNIVERSARY:
            page = next((p for p in content.pages if p.id == slide.item_id), None)
            if page is not None:
                badge, title = tr("anniversary_badge", lang), page.title.get(lang)
                body, image = page.body.get(lang), page.image
        elif slide.kind is SlideKind.STORY:
            story = content.story(slide.item_id)
            if story is not None:
                badge, title = tr("story_badge", lang), story.title.get(lang)
                meta = story_meta(story, lang)
                body, image = story.body.get(lang), story.photo
        elif slide.kind is SlideKind.COLOURING:
            title = tr("colouring_invite", lang)
            body = tr("colouring_invite_sub", lang)
            image = content.colouring[0].source if content.colouring else None
        elif slide.kind is SlideKind.CALM:
            title = tr("calm_invite", lang)
            body = tr("calm_invite_sub", lang)
            image = assets_dir() / "illustrations" / "calm.svg"
        else:
            title = content.settings.centre(lang)
            body = tr("welcome_sub", lang)
            badge = tr("welcome", lang)
        # An invitation has few words: set them large, as a poster would.
        poster = slide.kind in (SlideKind.COLOURING, SlideKind.CALM, SlideKind.WELCOME)
        self.title.setFont(self.theme.font(
            self.theme.display_px if poster else self.theme.title_px, bold=True))
        self.body.max_px = self.theme.text_px(60 if poster else 44)
        self.show_item(badge, title, meta, body, image)

    def render_slide(self, slide: Slide, content: Content, lang: Language,
                     size: QSize) -> QPixmap:
        if self.size() != size:
            self.resize(size)
        self.fill(slide, content, lang)
        # Never shown: grab() lays out and paints a hidden widget without a window of its own.
        self.box.activate()
        pixmap = self.grab()
        self.image.clear()  # the slide's pixmap has it now; don't keep a second copy
        return pixmap
