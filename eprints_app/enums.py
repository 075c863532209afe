"""EPrints' controlled vocabularies, with its stored values and labels (eprints.md §1–§2)."""

from django.db import models


class ItemStatus(models.TextChoices):
    INBOX = "inbox", "User Workarea"
    BUFFER = "buffer", "Under Review"
    ARCHIVE = "archive", "Live Archive"
    DELETION = "deletion", "Retired"


class ItemType(models.TextChoices):
    ARTICLE = "article", "Article"
    BOOK_SECTION = "book_section", "Book Section"
    MONOGRAPH = "monograph", "Monograph"
    CONFERENCE_ITEM = "conference_item", "Conference or Workshop Item"
    BOOK = "book", "Book"
    THESIS = "thesis", "Thesis"
    PATENT = "patent", "Patent"
    ARTEFACT = "artefact", "Artefact"
    EXHIBITION = "exhibition", "Show/Exhibition"
    COMPOSITION = "composition", "Composition"
    PERFORMANCE = "performance", "Performance"
    IMAGE = "image", "Image"
    VIDEO = "video", "Video"
    AUDIO = "audio", "Audio"
    DATASET = "dataset", "Dataset"
    EXPERIMENT = "experiment", "Experiment"
    TEACHING_RESOURCE = "teaching_resource", "Teaching Resource"
    OTHER = "other", "Other"


class MonographType(models.TextChoices):
    TECHNICAL_REPORT = "technical_report", "Technical Report"
    PROJECT_REPORT = "project_report", "Project Report"
    DOCUMENTATION = "documentation", "Documentation"
    MANUAL = "manual", "Manual"
    WORKING_PAPER = "working_paper", "Working Paper"
    DISCUSSION_PAPER = "discussion_paper", "Discussion Paper"
    REPORT = "report", "Report"
    OTHER = "other", "Other"


class ThesisType(models.TextChoices):
    DIPLOMA = "diploma", "Diploma"
    MASTERS = "masters", "Masters"
    DOCTORAL = "doctoral", "Doctoral"
    POSTDOCTORAL = "postdoctoral", "Postdoctoral"
    OTHER = "other", "Other"


class PresentationType(models.TextChoices):
    PAPER = "paper", "Paper"
    LECTURE = "lecture", "Lecture"
    SPEECH = "speech", "Speech"
    POSTER = "poster", "Poster"
    KEYNOTE = "keynote", "Keynote"
    OTHER = "other", "Other"


class EventType(models.TextChoices):
    CONFERENCE = "conference", "Conference"
    WORKSHOP = "workshop", "Workshop"
    OTHER = "other", "Other"


class DateType(models.TextChoices):
    PUBLISHED = "published", "Publication"
    SUBMITTED = "submitted", "Submission"
    COMPLETED = "completed", "Completion"


class PublicationStatus(models.TextChoices):
    PUBLISHED = "pub", "Published"
    IN_PRESS = "inpress", "In Press"
    SUBMITTED = "submitted", "Submitted"
    UNPUBLISHED = "unpub", "Unpublished"


class CreatorRole(models.TextChoices):
    CREATOR = "creator", "Creator"
    EDITOR = "editor", "Editor"


class DocumentFormat(models.TextChoices):
    TEXT = "text", "Text"
    SPREADSHEET = "spreadsheet", "Spreadsheet"
    SLIDESHOW = "slideshow", "Slideshow"
    IMAGE = "image", "Image"
    VIDEO = "video", "Video"
    AUDIO = "audio", "Audio"
    ARCHIVE = "archive", "Archive"
    OTHER = "other", "Other"


class ContentVersion(models.TextChoices):
    DRAFT = "draft", "Draft Version"
    SUBMITTED = "submitted", "Submitted Version"
    ACCEPTED = "accepted", "Accepted Version"
    PUBLISHED = "published", "Published Version"
    UPDATED = "updated", "Updated Version"
    SUPPLEMENTAL = "supplemental", "Supplemental Material"
    OTHER = "other", "Other"


class Security(models.TextChoices):
    PUBLIC = "public", "Anyone"
    VALIDUSER = "validuser", "Registered users only"
    STAFFONLY = "staffonly", "Repository staff only"


class DerivativeStatus(models.TextChoices):
    """State of a document's derived data (extracted text, thumbnails)."""

    PENDING = "pending", "Pending"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Not applicable"
    FAILED = "failed", "Failed"


class Licence(models.TextChoices):
    CC_BY = "cc_by_4", "Creative Commons: Attribution 4.0"
    CC_BY_SA = "cc_by_sa_4", "Creative Commons: Attribution-Share Alike 4.0"
    CC_BY_ND = "cc_by_nd_4", "Creative Commons: Attribution-No Derivative Works 4.0"
    CC_BY_NC = "cc_by_nc_4", "Creative Commons: Attribution-Noncommercial 4.0"
    CC_BY_NC_SA = "cc_by_nc_sa_4", "Creative Commons: Attribution-Noncommercial-Share Alike 4.0"
    CC_BY_NC_ND = "cc_by_nc_nd_4", "Creative Commons: Attribution-Noncommercial-No Derivative Works 4.0"
    CC0 = "cc_public_domain", "Creative Commons: Public Domain Dedication"


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_ND: "https://creativecommons.org/licenses/by-nd/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}
