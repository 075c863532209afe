"""Deposit and editing through the Django admin, in EPrints' stages (type, files, details, subjects)."""

from django.contrib import admin, messages
from django.db.models.functions import Substr
from django.http import HttpResponseRedirect

from eprints_app.access import can_edit, can_manage, is_editor
from eprints_app.enums import ItemStatus
from eprints_app.forms import DETAIL_FIELDS, SUBJECT_FIELDS, TYPE_FIELDS, DocumentForm, ItemForm
from eprints_app.models import CopyRequest, Creator, Division, Document, Item, Subject
from eprints_app.models.document import DOCUMENT_METADATA
from eprints_app.services.documents import atomic_with_files
from eprints_app.services.parts import save_parts
from eprints_app.services.status import StatusChangeError, change_status
from eprints_app.unavailable import StorageUnavailable


class OwnWorkInline:
    """Parts of an item are changed by whoever may edit the item (access.can_edit)."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or can_edit(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or can_edit(request.user, obj))


class CreatorInline(OwnWorkInline, admin.TabularInline):
    model = Creator
    fields = ["position", "role", "family", "given", "orcid", "email"]
    extra = 1


class DocumentInline(OwnWorkInline, admin.StackedInline):
    model = Document
    form = DocumentForm
    extra = 1
    readonly_fields = ["filename", "mime_type", "filesize", "sha256"]
    fields = [
        "file",
        *DOCUMENT_METADATA,
        "filename",
        "mime_type",
        "filesize",
        "sha256",
    ]


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            Item.objects.exclude(date="")
            .annotate(year_part=Substr("date", 1, 4))
            .values_list("year_part", flat=True)
            .distinct()
            .order_by("-year_part")
        )
        return [(year, year) for year in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(date__startswith=self.value())
        return queryset


def status_action(target: str, label: str):
    """An admin action that moves the selected items through the status service."""

    def action(modeladmin, request, queryset):
        moved, refused = 0, []
        for item in queryset:
            try:
                change_status(item, target, request.user)
                moved += 1
            except StatusChangeError as error:
                refused.append(f"{item.pk}: {error}")
        if moved:
            modeladmin.message_user(request, f"{moved} item(s) moved to {ItemStatus(target).label}.")
        for line in refused:
            modeladmin.message_user(request, line, level=messages.ERROR)

    action.__name__ = f"move_to_{target}"
    action.short_description = label
    action.allowed_permissions = ("change",)
    return action


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    form = ItemForm
    inlines = [CreatorInline, DocumentInline]
    fieldsets = [
        ("Type", {"fields": TYPE_FIELDS}),
        ("Details", {"fields": DETAIL_FIELDS}),
        ("Subjects", {"fields": SUBJECT_FIELDS}),
        ("Deposit", {"fields": ["status", "depositor", "succeeds"]}),
        (
            "Record",
            {"fields": ["date_deposited", "last_modified", "status_changed", "rev_number", "revision"]},
        ),
    ]
    readonly_fields = ["date_deposited", "last_modified", "status_changed", "rev_number"]
    autocomplete_fields = ["subjects", "divisions", "depositor", "succeeds"]
    list_display = ["id", "title", "type", "status", "date_deposited", "last_modified"]
    list_display_links = ["id", "title"]
    list_filter = ["status", "type", YearFilter, "divisions"]
    search_fields = ["=id", "title", "creators__family", "creators__given"]
    ordering = ["-id"]
    list_per_page = 50
    # Counting the whole table on every page is what makes EPrints' list slow.
    show_full_result_count = False
    actions = [
        status_action(ItemStatus.ARCHIVE, "Move to Repository (make live)"),
        status_action(ItemStatus.BUFFER, "Move to Review"),
        status_action(ItemStatus.INBOX, "Return to Work Area"),
        status_action(ItemStatus.DELETION, "Retire Item"),
    ]

    def get_queryset(self, request):
        """Depositors see only their own items; editors see everything."""
        items = super().get_queryset(request)
        return items if is_editor(request.user) else items.filter(depositor=request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (obj is None or can_manage(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        # A record that was ever public is retired, never deleted, so that harvesters learn it
        # is gone (OAI-PMH deletedRecord "persistent").
        return super().has_delete_permission(request, obj) and (obj is None or obj.date_deposited is None)

    def get_readonly_fields(self, request, obj=None):
        # Who deposited an item and what it succeeds are the editors' to change; depositors
        # move their items with the actions ("Move to Review"), which the status service checks.
        fields = list(super().get_readonly_fields(request, obj))
        if not is_editor(request.user):
            fields += ["status", "depositor", "succeeds"]
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # ItemForm's plain multi-selects (for the actions view) would otherwise win over
        # autocomplete_fields: Django only applies autocomplete when no widget is given.
        if db_field.name in self.autocomplete_fields:
            kwargs.pop("widget", None)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        return {"depositor": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        # The status field is a request: the move itself happens in save_related, through
        # the status service, once creators and documents are saved.
        if not change and not is_editor(request.user):
            obj.depositor = request.user
        obj._requested_status = obj.status
        obj.status = form.initial.get("status", obj.status) if change else ItemStatus.INBOX
        if not change or form.has_changed():
            super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The admin's own transaction, inside one that takes new files back out of storage
        # should it roll back. A file that cannot be stored leaves nothing saved: the page
        # is offered again with the reason.
        try:
            with atomic_with_files():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except StorageUnavailable as error:
            self.message_user(request, str(error), level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_formset(self, request, form, formset, change):
        # Creators and documents go through their services, so that the item notices them
        # and a new file is described, stored and processed.
        save_parts(formset)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        item = form.instance
        if change and not form.has_changed() and any(f.has_changed() for f in formsets):
            item.save()  # a change made only in the inlines is one new revision too
        target = getattr(item, "_requested_status", item.status)
        if target != item.status:
            try:
                change_status(item, target, request.user)
            except StatusChangeError as error:
                self.message_user(
                    request,
                    f"The item was saved but stays {item.get_status_display()}: {error}",
                    level=messages.ERROR,
                )

    def get_fieldsets(self, request, obj=None):
        # A new item has no record dates yet.
        return self.fieldsets if obj else self.fieldsets[:-1] + [(None, {"fields": ["revision"]})]


class TreeAdmin(admin.ModelAdmin):
    list_display = ["code", "path"]
    search_fields = ["code", "name", "path"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "lineage"]
    ordering = ["lineage"]


@admin.register(CopyRequest)
class CopyRequestAdmin(admin.ModelAdmin):
    """Requests for copies are recorded for staff; they are answered only by the item's contact."""

    list_display = ["created", "document", "email", "status", "answered"]
    list_filter = ["status"]
    search_fields = ["email", "document__filename", "=document__item__id"]
    list_select_related = ["document"]
    readonly_fields = ["document", "email", "reason", "created", "status", "answered"]

    def has_add_permission(self, request):
        return False


admin.site.register(Subject, TreeAdmin)
admin.site.register(Division, TreeAdmin)
admin.site.site_header = "Repository administration"
