import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from articles.models import (
    Article,
    ArticleSummaryVariant,
    Audience,
    Disclaimer,
    EditorialPolicy,
    EvidenceSection,
    SectionKind,
    Statement,
    StatementVariant,
    Topic,
)
from articles.roles import AUTHORS, BOARD, EDITORS, roles_ensure
from citations.models import Citation, Reference
from demo import synthetic
from demo.content import (
    APPROVED_ARTICLES,
    DEMO_AUDIENCES,
    DEMO_POLICY,
    DEMO_REFERENCE_KINDS,
    DEMO_SECTION_KINDS,
    DEMO_TOPICS,
    FOOT_CRAMPS,
    SISTER_ARTICLES,
)
from demo.disclaimers import DEMO_DISCLAIMERS, DEMO_TOPIC_DISCLAIMERS
from reviews.models import BoardMember
from reviews.services import article_start_review, article_submit, review_record

REFERENCES_FILE = Path(__file__).resolve().parents[2] / "demo-references.json"
# The seed walks the real workflow, which queues notifications. They are demo traffic, not
# news for anyone: they go to memory and are counted, never printed or sent.
SEED_MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DESK_OR_ADMIN = {AUTHORS: "/desk/", BOARD: "/admin/", EDITORS: "/admin/"}

DEMO_USERS = [
    # username, first, last, role, password
    ("author", "Sam", "Patel", AUTHORS, "vetted-author-demo"),
    ("okafor", "Maya", "Okafor", BOARD, "vetted-board-demo"),
    ("fischer", "Lena", "Fischer", BOARD, "vetted-board-demo"),
    ("editor", "Jordan", "Lee", EDITORS, "vetted-editor-demo"),
]
DEMO_BOARD_PROFILES = {
    "okafor": ("MD, FACSM", "Sports medicine", "Team physician and endurance-sport researcher."),
    "fischer": (
        "MD, PhD",
        "Neurology",
        "Neuromuscular specialist; declares a conflict on nothing in this demo.",
    ),
}


class Command(BaseCommand):
    help = "Create the demonstration site (idempotent); --articles N adds N synthetic articles."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Allow demo accounts with known passwords outside DEBUG (never in public).",
        )
        parser.add_argument(
            "--articles",
            type=int,
            default=0,
            metavar="N",
            help="Also add N synthetic approved articles, with bulk inserts, for scale work.",
        )

    def handle(self, *args, **options):
        if not (settings.DEBUG or options["demo"]):
            raise CommandError(
                "seed_demo creates accounts with published passwords. Run it with DEBUG on, "
                "or pass --demo to confirm this is not a public site."
            )
        if options["articles"] < 0:
            raise CommandError("--articles must be zero or more.")
        self.new_logins: list[str] = []
        self.made: list[str] = []
        outbox = getattr(mail, "outbox", None)
        with override_settings(MAILERS=SEED_MAILERS):
            mail.outbox = []
            try:
                with transaction.atomic():
                    users = self.seed_site()
                held_back = len(mail.outbox)
            finally:
                if outbox is None:
                    del mail.outbox
                else:
                    mail.outbox = outbox
        if options["articles"]:
            made = synthetic.synthetic_articles_create(
                count=options["articles"], author=users["author"]
            )
            self.made.append(f"{made} synthetic approved articles")
        self.report(held_back)

    def report(self, held_back: int) -> None:
        """What the seed made, and how to log in: a few lines, no mail bodies."""
        if not self.made and not self.new_logins:
            self.stdout.write("Demo site already seeded; nothing changed.")
        for line in self.made:
            self.stdout.write(f"  made  {line}")
        if held_back:
            self.stdout.write(
                f"  {held_back} workflow notification(s) from the seed were not sent "
                "(demo traffic); real ones go to the console mail backend."
            )
        if self.new_logins:
            self.stdout.write("Logins (demo passwords; never on a public site):")
            for line in self.new_logins:
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo site ready."))

    def seed_site(self) -> dict:
        roles_ensure()
        users = self.seed_users()
        topics = {
            t["slug"]: Topic.objects.get_or_create(slug=t["slug"], defaults=t)[0]
            for t in DEMO_TOPICS
        }
        for data in DEMO_AUDIENCES:
            Audience.objects.get_or_create(slug=data["slug"], defaults=data)
        for data in DEMO_SECTION_KINDS:
            SectionKind.objects.get_or_create(slug=data["slug"], defaults=data)
        audiences = {a.slug: a for a in Audience.objects.all()}
        disclaimers = self.seed_disclaimers(audiences)
        for topic_slug, name in DEMO_TOPIC_DISCLAIMERS.items():
            Topic.objects.filter(slug=topic_slug, disclaimer=None).update(
                disclaimer=disclaimers[name]
            )
        if not EditorialPolicy.objects.exists():
            EditorialPolicy.objects.create(body=DEMO_POLICY, updated_by=users["editor"])
        references = self.seed_references(users["author"])
        seed = (topics, references, users["author"], audiences, disclaimers)

        main = self.seed_article(FOOT_CRAMPS, *seed)
        if main is not None:
            # Through the real workflow, so the audit trail shows the author's submit.
            article_submit(article=main, user=users["author"])
            self.made.append(f"submitted article  {main.get_absolute_url()}  (awaiting review)")
        for data in SISTER_ARTICLES:
            article = self.seed_article(data, *seed)
            if article is not None:
                self.made.append(f"draft article      {article.get_absolute_url()}  (desk only)")
        for data in APPROVED_ARTICLES:
            article = self.seed_article(data, *seed)
            if article is not None:
                self.approve_through_workflow(article, author=users["author"])
                self.made.append(f"approved article   {article.get_absolute_url()}")
        return users

    def seed_disclaimers(self, audiences) -> dict[str, Disclaimer]:
        """Each named disclaimer's default wording and its audience wordings, by name."""
        defaults = {}
        for name, wordings in DEMO_DISCLAIMERS.items():
            for audience_slug, text in wordings.items():
                audience = audiences.get(audience_slug) if audience_slug else None
                if audience_slug and audience is None:
                    continue
                row, _ = Disclaimer.objects.get_or_create(
                    name=name, audience=audience, defaults={"text": text}
                )
                if audience is None:
                    defaults[name] = row
        return defaults

    def approve_through_workflow(self, article: Article, *, author) -> None:
        """Submit, start review and approve with as many board members as the quorum needs."""
        revision = article_submit(article=article, user=author)
        seen = {"revision_number": revision.number, "content_hash": revision.content_hash}
        members = list(BoardMember.objects.active().select_related("user").order_by("pk"))
        article_start_review(article=article, user=members[0].user, **seen)
        for member in members:
            article.refresh_from_db()
            if article.status == Article.Status.APPROVED:
                break
            review_record(
                article=article,
                user=member.user,
                decision="approve",
                comment="Checked against the cited sources.",
                **seen,
            )

    def seed_users(self) -> dict:
        User = get_user_model()
        groups = {g.name: g for g in roles_ensure().values()}
        users = {}
        for username, first, last, role, password in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@vetted.example",
                    "is_staff": role in (BOARD, EDITORS),
                },
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
                self.new_logins.append(
                    f"  {username:8} / {password:20} {role}, {DESK_OR_ADMIN[role]}"
                )
            user.groups.add(groups[role])
            users[username] = user
        for username, (credentials, specialty, bio) in DEMO_BOARD_PROFILES.items():
            BoardMember.objects.get_or_create(
                user=users[username],
                defaults={"credentials": credentials, "specialty": specialty, "bio": bio},
            )
        return users

    def seed_references(self, author) -> dict[str, Reference]:
        items = json.loads(REFERENCES_FILE.read_text(encoding="utf-8"))
        references = {}
        for item in items:
            kind, grade = DEMO_REFERENCE_KINDS.get(item["id"], ("other", ""))
            fields = reference_fields_from_csl(item)
            lookup = {"doi": fields["doi"]} if fields["doi"] else {"title": fields["title"]}
            reference = Reference.objects.filter(**lookup).first()
            if reference is None:
                reference = Reference(**fields, kind=kind, evidence_grade=grade, created_by=author)
                reference.full_clean()
                reference.save()
            references[item["id"]] = reference
        return references

    def seed_article(
        self, data, topics, references, author, audiences, disclaimers
    ) -> Article | None:
        """Create one article tree, or nothing if its slug exists already."""
        if Article.objects.filter(slug=data["slug"]).exists():
            return None
        article = Article.objects.create(
            slug=data["slug"],
            title=data["title"],
            topic=topics[data["topic"]],
            summary=data["summary"],
            status=data.get("status", Article.Status.DRAFT),
            disclaimer=disclaimers.get(data.get("disclaimer")),
        )
        article.authors.add(author)
        for audience_slug, text in data.get("summary_variants", {}).items():
            ArticleSummaryVariant.objects.create(
                article=article, audience=audiences[audience_slug], text=text
            )
        kinds = {k.slug: k for k in SectionKind.objects.all()}
        for section_order, section_data in enumerate(data["sections"]):
            section = EvidenceSection.objects.create(
                article=article,
                kind=kinds[section_data["kind"]],
                heading=section_data["heading"],
                order=section_order,
            )
            for order, (style, text, cited, variants) in enumerate(section_data["statements"]):
                statement = Statement.objects.create(
                    section=section, style=style, text=text, order=order
                )
                for audience_slug, variant in variants.items():
                    StatementVariant.objects.create(
                        statement=statement, audience=audiences[audience_slug], text=variant
                    )
                Citation.objects.bulk_create(
                    Citation(statement=statement, reference=references[key], order=position)
                    for position, key in enumerate(cited)
                )
        return article


def reference_fields_from_csl(item: dict) -> dict:
    """Map one CSL-JSON item onto Reference fields."""
    issued = (item.get("issued") or {}).get("date-parts") or [[None]]
    return {
        "title": item.get("title", ""),
        "authors": [
            {"family": a.get("family", ""), "given": a.get("given", "")}
            for a in item.get("author", [])
        ],
        "journal": item.get("container-title", ""),
        "journal_abbrev": item.get("container-title-short", ""),
        "year": issued[0][0],
        "volume": str(item.get("volume", "")),
        "issue": str(item.get("issue", "")),
        "pages": str(item.get("page", "")),
        "doi": (item.get("DOI") or "").lower(),
        "pmid": str(item.get("PMID", "")),
        "url": item.get("URL", ""),
    }
