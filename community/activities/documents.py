"""The signed documents of partnership agreements: kept in one private collection, downloaded only
by staff who may see an agreement the document belongs to.

Whatever screen uploads or moves the document (the agreement's form and its document chooser,
the Documents admin, a command), `file_agreement_documents` puts it back into that collection:
it runs after an agreement or a document is saved. Wagtail's collection restriction keeps
anonymous visitors and residents out; `may_download`, asked before every document is served,
keeps staff of other territories out."""

from django.contrib.auth.models import Group
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from community import permissions, roles
from community.models import PartnershipAgreement

COLLECTION_NAME = _("Conventions de partenariat (privé)")
# Staff roles that may open the collection at all; territories narrow it further.
READER_ROLES = (roles.MEDIATOR, roles.MANAGER)


def agreements_collection() -> Collection:
    """The private collection of agreement documents, made (with its restriction to staff
    groups) on first use. Idempotent."""
    root = Collection.get_first_root_node()
    if root is None:
        root = Collection.add_root(name="Root")
    name = str(COLLECTION_NAME)
    collection = next((c for c in root.get_children() if c.name == name), None)
    if collection is None:
        collection = root.add_child(name=name)
    restriction = CollectionViewRestriction.objects.filter(collection=collection).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
    elif restriction.restriction_type != CollectionViewRestriction.GROUPS:
        restriction.restriction_type = CollectionViewRestriction.GROUPS
        restriction.password = ""
        restriction.save(update_fields=["restriction_type", "password"])
    groups = [Group.objects.get_or_create(name=role)[0] for role in READER_ROLES]
    restriction.groups.add(*groups)
    return collection


def agreement_document_ids(document_ids=None):
    queryset = PartnershipAgreement.objects.filter(document__isnull=False)
    if document_ids is not None:
        queryset = queryset.filter(document_id__in=list(document_ids))
    return queryset.values_list("document_id", flat=True)


def file_agreement_documents(document_ids=None) -> int:
    """Move every agreement document (or those of `document_ids`) into the private collection;
    how many moved."""
    documents = get_document_model().objects.filter(pk__in=agreement_document_ids(document_ids))
    if not documents.exists():
        return 0
    collection = agreements_collection()
    return documents.exclude(collection=collection).update(collection=collection)


def may_download(user, document) -> bool:
    """A document of an agreement only for staff who see one of its agreements (an agency-wide
    agreement: those who see every territory); any other document is not this rule's."""
    agreements = PartnershipAgreement.objects.filter(document=document)
    if not agreements.exists():
        return True
    return (
        permissions.can_reach_staff_area(user)
        and permissions.restrict_records(agreements, user).exists()
    )


def connect() -> None:
    post_save.connect(on_agreement_saved, sender=PartnershipAgreement, dispatch_uid="agreement_doc")
    post_save.connect(on_document_saved, sender=get_document_model(), dispatch_uid="agreement_doc")


def on_agreement_saved(sender, instance, **kwargs):
    if instance.document_id:
        file_agreement_documents([instance.document_id])


def on_document_saved(sender, instance, **kwargs):
    # A document moved out of the collection from the Documents admin goes back in.
    file_agreement_documents([instance.pk])
