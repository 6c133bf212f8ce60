"""The consent's required parts (spec §6) as fields of their own, and the first version meeting
spec §6, published and in force from 2026-12-01.

The parts a version must have before it is published: the purposes, the retention, the contact
for privacy (office, person; the phone falls back to the clinic profile's) and the off-label
disclosure. Versions published before keep their text: each intake keeps the version it agreed to.

The texts are written here, not read from the code: this migration must keep meaning what it
meant when it was written. The retention text says {period}: the period is filled in from
settings.INTAKE_RETENTION_DAYS wherever it is shown, so it always says what purge_intakes does.
"""

import datetime

from django.db import migrations, models

VERSION = "2026-12"
EFFECTIVE_DATE = datetime.date(2026, 12, 1)

TITLE_JA = "個人情報の取り扱いと、マイクロボトックス（適応外使用）についてのご説明"
TITLE_EN = (
    "How we handle your personal information, and what you should know about micro-Botox "
    "(off-label use)"
)

BODY_JA = """この問診でお答えいただく内容のうち、健康状態・お薬・妊娠・これまでの施術についての回答は、個人情報保護法で「要配慮個人情報」とされる、特に慎重な取り扱いが必要な情報です。当院は、ご本人の同意をいただいたうえで、次のとおり取り扱います。お名前・生年月日・連絡先も、個人情報として同じように管理します。

回答を見る人：当院の医師と、業務に必要な範囲の職員だけです。受付の職員が見るのは、お名前・ご来院日などに限られ、健康についての回答は見ません。回答を誰がいつ見たかは、すべて記録されます。

委託先：このシステムの運用・保守は、当院が契約した事業者（委託先）に任せることがあります。委託先とは秘密を守る契約を結び、適切に管理されているかを当院が確認します。回答は、当院が契約した日本国内のサーバーに保存します。

第三者への提供：法律で認められる場合（命や身体を守るために緊急に必要で、ご本人の同意を得ることが難しい場合など）を除き、ご本人の同意なく、当院の外の人や会社に回答を渡すことはありません。

あなたの権利：ご自身の回答を見ること（開示）、直すこと（訂正）、使うのをやめてもらうこと（利用停止・削除）、この同意を取り消すことを、いつでも下記の窓口にお申し出いただけます。同意を取り消された場合、それ以降は回答を使いません。ただし、診察前の確認ができなくなるため、ご来院時に診察で改めてお聞きします（施術の日程を変更していただくことがあります）。すでにカルテに記載した内容は、法律によりカルテとして保存します。

利用目的、保存期間、お問い合わせ窓口は、次のとおりです。"""

BODY_EN = """Among your answers to this questionnaire, those about your health, medicines, pregnancy and past treatments are "special care-required personal information" under Japan's Act on the Protection of Personal Information: information that needs particular care. With your consent, the clinic handles them as follows. Your name, date of birth and contact details are personal information too, and are kept with the same care.

Who sees your answers: only the clinic's doctors, and staff as far as their work needs. Reception staff see only your name, visit date and similar details, never your health answers. Every time someone opens your answers, who and when is recorded.

Contractors: the running and maintenance of this system may be entrusted to companies under contract with the clinic. They are bound to confidentiality, and the clinic checks that they handle the data properly. Your answers are stored on servers in Japan under contract with the clinic.

Third parties: your answers are given to no one outside the clinic without your consent, except where the law allows it (for example when it is urgently needed to protect someone's life or health and your consent cannot be obtained in time).

Your rights: you can ask at any time, at the office below, to see your answers (disclosure), to correct them, to have their use stopped (or them deleted), and to withdraw this consent. If you withdraw it, your answers are no longer used from then on; the doctor cannot check them before your visit, so you will be asked again at the consultation (your treatment may have to be moved to another day). What has already been written into your medical record is kept as a medical record, as the law requires.

The purposes, the retention period and the office to contact are below."""

PURPOSES_JA = """診察の前に、医師が施術を受けられるかどうかを確認するため
回答を当院の判定ルールで自動的に点検し、医師が見落としなく確認できるようにするため
回答の内容をカルテ（診療録）に記載するため
次回以降のご来院の際に、以前の回答と比べたり、変わりにくい回答をあらかじめ入力したりするため
ご来院（ご予約）について、ご連絡するため"""

PURPOSES_EN = """For the doctor to check, before your consultation, whether the treatment is right for you
To check your answers automatically against the clinic's rules, so that the doctor misses nothing
To write your answers into your medical record
At later visits, to compare your answers with your earlier ones and to fill in the answers that rarely change
To contact you about your visit (your appointment)"""

RETENTION_JA = (
    "回答は、ご来院日（ご来院日が決まっていない場合は回答日）から{period}保存し、その後削除します。"
    "カルテに記載した内容は、医師法に基づきカルテとして保存します。"
)
RETENTION_EN = (
    "Your answers are kept for {period} from your visit date (or, without a visit date, from "
    "the day you answered), then deleted. What has been written into your medical record is "
    "kept as a medical record, as the Medical Practitioners' Act requires."
)

CONTACT_OFFICE_JA = "当院 個人情報お問い合わせ窓口（受付）"
CONTACT_OFFICE_EN = "The clinic's privacy enquiries desk (reception)"
CONTACT_PERSON_JA = "院長（個人情報保護管理者）"
CONTACT_PERSON_EN = "The clinic director (privacy officer)"

OFF_LABEL_JA = """マイクロボトックスは、ボツリヌス製剤を薄めて、皮膚の浅いところに細かく注射する施術です。次のことをご理解ください。

適応外使用です：国内で美容目的に承認されているボツリヌス製剤は「ボトックスビスタ」だけです。承認されているのは、65歳未満の成人の眉間と目尻のしわに、筋肉へ注射する使い方に限られます。マイクロボトックスは、どの製剤を使っても、承認された使い方とは異なる「適応外使用」です。

未承認医薬品を使う場合があります：海外の製剤（ナボタ・ボツラックス・コアトックスなど）を使う場合、それは国内で承認されていない「未承認医薬品」で、医師が自らの責任で個人輸入したものです。国内で承認された製剤としては、ボトックスビスタがあります。どの製剤を使うかは、施術の前に医師がお伝えします。

救済制度の対象にならないことがあります：お薬による重い健康被害を国が救済する「医薬品副作用被害救済制度」は、適応外使用や未承認医薬品による被害には使えないことがあります。

効果には個人差があります：効果の現れ方や続く期間は人によって異なり、効果を裏づける研究もまだ限られています。

自由診療です：健康保険は使えず、費用は全額自己負担です。

施術を受けるかどうかは、あなたが決めます：施術の前に医師が詳しくご説明し、施術への同意はその後にあらためて伺います。説明を聞いたうえで、お断りいただくこともできます。この問診でのチェックは、この説明を読んだことの確認で、施術への同意ではありません。"""

OFF_LABEL_EN = """Micro-Botox means injecting a diluted botulinum toxin product, in many tiny amounts, into the upper layer of the skin. Please understand the following.

It is an off-label use: the only botulinum toxin product approved in Japan for cosmetic use is Botox Vista, and only for injection into the muscles of frown lines and crow's feet in adults under 65. Micro-Botox, with any product, is a use outside this approval ("off-label use").

An unapproved medicine may be used: if a product from abroad is used (Nabota, Botulax, Coretox and others), it is a medicine not approved in Japan, imported by the doctor personally and on the doctor's own responsibility. The approved product in Japan is Botox Vista. The doctor will tell you which product is used before the treatment.

The public relief system may not apply: Japan's Relief System for Adverse Drug Reactions, which helps people seriously harmed by a medicine, may not cover harm from an off-label use or an unapproved medicine.

Results vary: how well it works and how long it lasts differ from person to person, and the research supporting it is still limited.

It is private (self-paid) treatment: health insurance does not cover it; you pay the full cost.

Whether to have the treatment is your decision: the doctor explains it in detail before the treatment, and asks for your consent to the treatment only then. After hearing the explanation, you may decline. Ticking the box in this questionnaire confirms that you have read this explanation; it is not consent to the treatment."""


def _free_version(ConsentDocument):
    """VERSION, or the next free VERSION-N if the clinic already wrote a version of that name."""
    taken = set(
        ConsentDocument.objects.filter(version__startswith=VERSION).values_list("version", flat=True)
    )
    return next(v for v in (VERSION, *(f"{VERSION}-{n}" for n in range(2, 1000))) if v not in taken)


def publish_2026_12(apps, schema_editor):
    ConsentDocument = apps.get_model("intake", "ConsentDocument")
    if ConsentDocument.objects.filter(title_ja=TITLE_JA, effective_date=EFFECTIVE_DATE).exists():
        return  # run before
    ConsentDocument.objects.create(
        version=_free_version(ConsentDocument),
        title=TITLE_JA,
        title_ja=TITLE_JA,
        title_en=TITLE_EN,
        body=BODY_JA,
        body_ja=BODY_JA,
        body_en=BODY_EN,
        purposes=PURPOSES_JA,
        purposes_ja=PURPOSES_JA,
        purposes_en=PURPOSES_EN,
        retention=RETENTION_JA,
        retention_ja=RETENTION_JA,
        retention_en=RETENTION_EN,
        contact_office=CONTACT_OFFICE_JA,
        contact_office_ja=CONTACT_OFFICE_JA,
        contact_office_en=CONTACT_OFFICE_EN,
        # Blank: the clinic's phone number from its profile, whatever it is when shown.
        contact_phone="",
        contact_person=CONTACT_PERSON_JA,
        contact_person_ja=CONTACT_PERSON_JA,
        contact_person_en=CONTACT_PERSON_EN,
        off_label=OFF_LABEL_JA,
        off_label_ja=OFF_LABEL_JA,
        off_label_en=OFF_LABEL_EN,
        effective_date=EFFECTIVE_DATE,
        published=True,
    )


def unpublish_2026_12(apps, schema_editor):
    """Back to 0007: the version goes unless an intake agreed to it (then it stays, as text)."""
    ConsentDocument = apps.get_model("intake", "ConsentDocument")
    Intake = apps.get_model("intake", "Intake")
    used = Intake.objects.values_list("consent_document_id", flat=True)
    ConsentDocument.objects.filter(title_ja=TITLE_JA, effective_date=EFFECTIVE_DATE).exclude(
        pk__in=used
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0008_submission_limit'),
    ]

    operations = [
        migrations.AddField(
            model_name='consentdocument',
            name='contact_office',
            field=models.CharField(blank=True, max_length=200, verbose_name='office for privacy enquiries'),
        ),
        migrations.AddField(
            model_name='consentdocument',
            name='contact_office_en',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='office for privacy enquiries'),
        ),
        migrations.AddField(
            model_name='consentdocument',
            name='contact_office_ja',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='office for privacy enquiries'),
        ),
        migrations.AddField(
            model_name='consentdocument',
            name='contact_person',
            field=models.CharField(blank=True, max_length=200, verbose_name='person responsible for privacy'),
        ),
        migrations.AddField(
            model_name='consentdocument',
            name='contact_person_en',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='person responsible for privacy'),
        ),
        migrations.AddField(
            model_name='consentdocument',
            name='contact_person_ja',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='person responsible for privacy'),
        ),
        migrations.AddField(
            model_name='consentdocument',
            name='contact_phone',
            field=models.CharField(blank=True, help_text="Leave blank to show the clinic's phone number (clinic profile).", max_length=30, verbose_name='phone for privacy enquiries'),
        ),
        migrations.AddField(
            model_name='consentdocument',
            name='off_label',
            field=models.TextField(blank=True, verbose_name='off-label use and unapproved products'),
        ),
        migrations.AddField(
            model_name='consentdocument',
            name='off_label_en',
            field=models.TextField(blank=True, null=True, verbose_name='off-label use and unapproved products'),
        ),
        migrations.AddField(
            model_name='consentdocument',
            name='off_label_ja',
            field=models.TextField(blank=True, null=True, verbose_name='off-label use and unapproved products'),
        ),
        migrations.AddField(
            model_name='consentdocument',
            name='purposes',
            field=models.TextField(blank=True, help_text='One purpose per line.', verbose_name='purposes of use'),
        ),
        migrations.AddField(
            model_name='consentdocument',
            name='purposes_en',
            field=models.TextField(blank=True, help_text='One purpose per line.', null=True, verbose_name='purposes of use'),
        ),
        migrations.AddField(
            model_name='consentdocument',
            name='purposes_ja',
            field=models.TextField(blank=True, help_text='One purpose per line.', null=True, verbose_name='purposes of use'),
        ),
        migrations.AddField(
            model_name='consentdocument',
            name='retention',
            field=models.TextField(blank=True, help_text="How long the answers are kept and what happens then. Write {period} where the period goes: it is filled in from the clinic's retention setting.", verbose_name='retention'),
        ),
        migrations.AddField(
            model_name='consentdocument',
            name='retention_en',
            field=models.TextField(blank=True, help_text="How long the answers are kept and what happens then. Write {period} where the period goes: it is filled in from the clinic's retention setting.", null=True, verbose_name='retention'),
        ),
        migrations.AddField(
            model_name='consentdocument',
            name='retention_ja',
            field=models.TextField(blank=True, help_text="How long the answers are kept and what happens then. Write {period} where the period goes: it is filled in from the clinic's retention setting.", null=True, verbose_name='retention'),
        ),
        migrations.RunPython(publish_2026_12, unpublish_2026_12),
    ]
