"""Groups (kelompok Gandeng Gendong), their members and menu, city offices and their budgets, orders."""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gandeng.db import db, utcnow
from gandeng.reference.models import Kelurahan


class GroupStatus(StrEnum):
    PENDING = "pending"      # registered, waiting for staff curation
    VERIFIED = "verified"    # may receive orders
    SUSPENDED = "suspended"  # no orders (failed curation, misuse)


class OrderStatus(StrEnum):
    OFFERED = "offered"        # waiting for the group to accept
    ACCEPTED = "accepted"
    DELIVERED = "delivered"
    PAID = "paid"
    CANCELLED = "cancelled"    # by the office
    UNPLACED = "unplaced"      # no (further) group could take it


# Statuses whose portions hold a group's capacity on the delivery day, and whose value counts as ordered.
HOLDING = (OrderStatus.OFFERED, OrderStatus.ACCEPTED, OrderStatus.DELIVERED, OrderStatus.PAID)
PLACED = (OrderStatus.ACCEPTED, OrderStatus.DELIVERED, OrderStatus.PAID)


class Office(db.Model):
    """A city office (OPD), e.g. "Dinas Kesehatan"; its users have role `office`."""

    __tablename__ = "nglarisi_offices"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    name_key: Mapped[str] = mapped_column(String(160), unique=True)  # case- and space-insensitive
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OfficeBudget(db.Model):
    """An office's food-and-drink budget of one year (entered by staff): the 60 % target is against it."""

    __tablename__ = "nglarisi_office_budgets"
    __table_args__ = (UniqueConstraint("office_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("nglarisi_offices.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    food_budget_rp: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Group(db.Model):
    """A kelompok Gandeng Gendong: 5-20 members of one kelurahan cooking for offices."""

    __tablename__ = "nglarisi_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    # The name normalised (case, spaces): no second group, hence no other account, may use it.
    name_key: Mapped[str] = mapped_column(String(160), unique=True)
    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("kelurahan.code"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=GroupStatus.PENDING, index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # Head counts as curated (imports give counts; the member list, when kept, is staff-only).
    members_count: Mapped[int] = mapped_column(default=0)
    kms_members_count: Mapped[int] = mapped_column(default=0)
    capacity_per_day: Mapped[int] = mapped_column(default=0)  # portions
    lead_time_hours: Mapped[int] = mapped_column(default=24)
    max_distance_km: Mapped[float] = mapped_column(Float, default=10.0)
    days_off: Mapped[list] = mapped_column(JSON, default=list)  # ISO dates the group does not cook
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    npwp: Mapped[str] = mapped_column(String(32), default="")
    pirt: Mapped[str] = mapped_column(String(64), default="")     # PIRT / halal certificate numbers
    halal: Mapped[str] = mapped_column(String(64), default="")
    bank_name: Mapped[str] = mapped_column(String(80), default="")
    bank_account_number: Mapped[str] = mapped_column(String(40), default="")
    bank_account_holder: Mapped[str] = mapped_column(String(120), default="")
    bank_verified_at: Mapped[datetime | None]  # cleared by any change of the account: staff re-verify
    visit_needed_at: Mapped[datetime | None]   # two low ratings in a row: a staff task
    last_curated_on: Mapped[date | None] = mapped_column(Date)
    # The curation date whose yearly re-curation reminder went out (once per curation year).
    recurate_reminded_for: Mapped[date | None] = mapped_column(Date)
    # The contact phone answered BERHENTI: no more WhatsApp notices to it (accounts have their own switch).
    contact_whatsapp_stopped_at: Mapped[datetime | None]
    verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kelurahan: Mapped[Kelurahan] = relationship()
    menu: Mapped[list["MenuItem"]] = relationship(back_populates="group", order_by="MenuItem.price_per_portion_rp",
                                                  cascade="all, delete-orphan")
    members: Mapped[list["GroupMember"]] = relationship(back_populates="group", order_by="GroupMember.id",
                                                        cascade="all, delete-orphan")
    files: Mapped[list["GroupFile"]] = relationship(back_populates="group", order_by="GroupFile.id",
                                                    cascade="all, delete-orphan")

    @property
    def photos(self) -> list["GroupFile"]:
        return [f for f in self.files if f.kind == FileKind.PHOTO]

    @property
    def logo(self) -> "GroupFile | None":
        return next((f for f in self.files if f.kind == FileKind.LOGO), None)

    @property
    def documents(self) -> dict[str, "GroupFile"]:
        return {f.kind: f for f in self.files if f.kind in DOCUMENT_KINDS}

    @property
    def cheapest_rp(self) -> int | None:
        prices = [item.price_per_portion_rp for item in self.menu if item.active]
        return min(prices) if prices else None


class FileKind(StrEnum):
    PHOTO = "photo"      # product photo: public on the catalogue of a verified group
    LOGO = "logo"        # public; no two groups may have the same logo
    NPWP = "npwp"        # documents: staff and the group itself only
    BANK = "bank"        # bank book cover or account statement
    PIRT = "pirt"
    HALAL = "halal"


PUBLIC_KINDS = (FileKind.PHOTO, FileKind.LOGO)
DOCUMENT_KINDS = (FileKind.NPWP, FileKind.BANK, FileKind.PIRT, FileKind.HALAL)


class GroupFile(db.Model):
    """A group's product photo, logo or document (NPWP, bank-account proof, PIRT, halal certificate),
    stored as every upload is (gandeng.uploads: checked by content, cleaned, random name)."""

    __tablename__ = "nglarisi_group_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("nglarisi_groups.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    caption: Mapped[str] = mapped_column(String(200), default="")  # the menu item a photo shows (its alt text)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    # A logo's difference hash (64 bits, hex) of its decoded, grey, 9x8-pixel image: near-equal logos clash.
    image_key: Mapped[str | None] = mapped_column(String(16), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime | None]  # a document checked by staff
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    group: Mapped["Group"] = relationship(back_populates="files")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class MenuItem(db.Model):
    """One dish or box the group sells, priced per portion."""

    __tablename__ = "nglarisi_menu_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("nglarisi_groups.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    price_per_portion_rp: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    group: Mapped[Group] = relationship(back_populates="menu")


class GroupMember(db.Model):
    """A member of a group: personal data, staff only (never on public pages, never in the API to others)."""

    __tablename__ = "nglarisi_group_members"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("nglarisi_groups.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    nik: Mapped[str] = mapped_column(String(16))
    kms_pkh: Mapped[bool] = mapped_column(Boolean, default=False)
    is_coordinator: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    group: Mapped[Group] = relationship(back_populates="members")


class Account(db.Model):
    """Which office or group a user of role `office` or `group` acts for (one of the two)."""

    __tablename__ = "nglarisi_accounts"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("nglarisi_offices.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("nglarisi_groups.id"), index=True)
    office: Mapped[Office | None] = relationship()
    group: Mapped[Group | None] = relationship()


class Order(db.Model):
    """An office's order of meeting food, offered to one group at a time until one accepts."""

    __tablename__ = "nglarisi_orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("nglarisi_offices.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deliver_on: Mapped[date] = mapped_column(Date, index=True)
    deliver_time: Mapped[str] = mapped_column(String(5))  # "HH:MM" WIB
    deliver_at: Mapped[datetime]  # the same moment in UTC (naive), for lead times and reminders
    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("kelurahan.code"))
    portions: Mapped[int] = mapped_column(Integer)
    budget_rp: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=OrderStatus.OFFERED, index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("nglarisi_groups.id"), index=True)
    price_per_portion_rp: Mapped[int] = mapped_column(Integer, default=0)  # of the group offered to
    value_rp: Mapped[int] = mapped_column(BigInteger, default=0)        # portions x price
    offered_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None] = mapped_column(index=True)
    expiry_reminded_at: Mapped[datetime | None]
    day_before_reminded_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    portions_delivered: Mapped[int | None]
    rating: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    paid_on: Mapped[date | None] = mapped_column(Date)
    paid_rp: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped by every change of the offer: the signed accept link names the attempt it was made for.
    attempt: Mapped[int] = mapped_column(default=0)
    office: Mapped[Office] = relationship()
    group: Mapped[Group | None] = relationship()
    kelurahan: Mapped[Kelurahan] = relationship()
    history: Mapped[list["OrderStep"]] = relationship(back_populates="order", order_by="OrderStep.id",
                                                      cascade="all, delete-orphan")


class OrderStep(db.Model):
    """One step of an order's way: offered to a group (with the proposer's reasons), declined, expired,
    picked by the office (with its reason), accepted, delivered, paid, cancelled, unplaced."""

    __tablename__ = "nglarisi_order_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("nglarisi_orders.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("nglarisi_groups.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list] = mapped_column(JSON, default=list)  # reason codes with parameters
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    order: Mapped[Order] = relationship(back_populates="history")
    group: Mapped[Group | None] = relationship()
