"""The demo national plan's texts in the other languages (docs/languages.md, "Content in several
languages"): its title, every framework node, every indicator's title and unit, its own
dimension's options and the organisations it names, keyed by code.

The plan is fictitious and so are these working translations (no native speaker has reviewed
them). The organisations keep their real names in their own language (French for the Congolese
bodies): the other languages carry an honest rendering, not an official name, except for the
UN bodies and the ICGLR, whose names in French, Spanish and Arabic are their own.
"""

from __future__ import annotations

# The languages the national plan is translated into (its texts are written in English).
LANGUAGES = ("fr", "es", "ar")


def _t(fr: str, es: str, ar: str) -> dict[str, str]:
    return {"fr": fr, "es": es, "ar": ar}


PLAN_TITLE = _t(
    "Démo : troisième Plan d'action national sur la résolution 1325, RD Congo (2024-2027)",
    "Demostración: tercer Plan de Acción Nacional sobre la resolución 1325, RD del Congo (2024-2027)",
    "عرض توضيحي: خطة العمل الوطنية الثالثة بشأن القرار 1325، جمهورية الكونغو الديمقراطية (2024-2027)",
)

# Framework nodes, by code: pillars, outcomes, outputs and actions.
NODES: dict[str, dict[str, str]] = {
    "PAR": _t("Participation", "Participación", "المشاركة"),
    "PRE": _t("Prévention", "Prevención", "الوقاية"),
    "PRO": _t("Protection", "Protección", "الحماية"),
    "REL": _t("Secours et relèvement", "Socorro y recuperación", "الإغاثة والتعافي"),
    "COO": _t("Coordination", "Coordinación", "التنسيق"),
    "PAR.1": _t(
        "La représentation des femmes dans la prise de décision politique et publique augmente",
        "Aumenta la representación de las mujeres en la toma de decisiones políticas y públicas",
        "يزداد تمثيل المرأة في صنع القرار السياسي والعام",
    ),
    "PAR.1.1": _t(
        "Les règles électorales et des partis favorisent la parité",
        "Las normas electorales y de los partidos promueven la paridad",
        "القواعد الانتخابية وقواعد الأحزاب تعزز التكافؤ",
    ),
    "PAR.1.1.1": _t(
        "Plaider pour que la loi sur la parité s'applique aux listes de candidats des prochaines élections",
        "Abogar por que la ley de paridad se aplique a las listas de candidaturas de las próximas elecciones",
        "الدعوة إلى تطبيق قانون التكافؤ على قوائم المرشحين في الانتخابات المقبلة",
    ),
    "PAR.1.1.2": _t(
        "Former 300 candidates et élues au leadership et à la conduite de campagne",
        "Capacitar a 300 candidatas y mujeres electas en liderazgo y campañas electorales",
        "تدريب 300 من المرشحات والمنتخبات على القيادة وإدارة الحملات الانتخابية",
    ),
    "PAR.1.2": _t(
        "Les institutions provinciales et locales s'ouvrent au leadership des femmes",
        "Las instituciones provinciales y locales se abren al liderazgo de las mujeres",
        "المؤسسات الإقليمية والمحلية تنفتح على قيادة المرأة",
    ),
    "PAR.1.2.1": _t(
        "Créer des caucus des femmes dans les assemblées provinciales du Nord-Kivu et du Sud-Kivu",
        "Crear bancadas de mujeres en las asambleas provinciales de Kivu del Norte y Kivu del Sur",
        "إنشاء تكتلات نسائية في جمعيتي مقاطعتي كيفو الشمالية وكيفو الجنوبية",
    ),
    "PAR.1.2.2": _t(
        "Accompagner des jeunes femmes dans la gouvernance locale (programme de leadership des jeunes)",
        "Acompañar a mujeres jóvenes en la gobernanza local (programa de liderazgo juvenil)",
        "توجيه الشابات في مجال الحوكمة المحلية (برنامج قيادة الشباب)",
    ),
    "PAR.2": _t(
        "Les femmes prennent part aux processus de paix et au secteur de la sécurité",
        "Las mujeres participan en los procesos de paz y en el sector de la seguridad",
        "تشارك المرأة في عمليات السلام وفي قطاع الأمن",
    ),
    "PAR.2.1": _t(
        "Des femmes siègent dans les délégations de négociation de paix",
        "Las mujeres forman parte de las delegaciones de negociación de paz",
        "تشارك النساء في وفود مفاوضات السلام",
    ),
    "PAR.2.1.1": _t(
        "Nommer des femmes dans chaque délégation officielle aux processus de paix régionaux",
        "Nombrar a mujeres en cada delegación oficial de los procesos de paz regionales",
        "تعيين نساء في كل وفد رسمي في عمليات السلام الإقليمية",
    ),
    "PAR.2.1.2": _t(
        "Établir un fichier de médiatrices et d'expertes techniques",
        "Crear una lista de mujeres mediadoras y expertas técnicas",
        "إنشاء قائمة بالوسيطات والخبيرات التقنيات",
    ),
    "PAR.2.2": _t(
        "Les femmes sont recrutées et promues dans la police et les forces armées",
        "Las mujeres son contratadas y ascendidas en la policía y las fuerzas armadas",
        "يتم تجنيد النساء وترقيتهن في الشرطة والقوات المسلحة",
    ),
    "PAR.2.2.1": _t(
        "Adopter une politique de recrutement et de promotion sensible au genre dans la police nationale",
        "Adoptar una política de contratación y ascenso con perspectiva de género en la policía nacional",
        "اعتماد سياسة للتجنيد والترقية مراعية للمنظور الجنساني في الشرطة الوطنية",
    ),
    "PAR.2.2.2": _t(
        "Créer des cellules genre dans les régions militaires des forces armées",
        "Crear unidades de género en las regiones militares de las fuerzas armadas",
        "إنشاء وحدات للشؤون الجنسانية في المناطق العسكرية للقوات المسلحة",
    ),
    "PRE.1": _t(
        "L'alerte précoce et la réponse aux conflits tiennent compte de la sécurité des femmes",
        "La alerta temprana y la respuesta a los conflictos tienen en cuenta la seguridad de las mujeres",
        "يراعي الإنذار المبكر بالنزاعات والاستجابة لها أمن المرأة",
    ),
    "PRE.1.1": _t(
        "Les réseaux communautaires d'alerte précoce incluent des femmes",
        "Las redes comunitarias de alerta temprana incluyen a mujeres",
        "تضم شبكات الإنذار المبكر المجتمعية نساءً",
    ),
    "PRE.1.1.1": _t(
        "Former des points focaux communautaires d'alerte précoce (femmes, jeunes, personnes handicapées)",
        "Capacitar a puntos focales comunitarios de alerta temprana (mujeres, jóvenes, personas con discapacidad)",
        "تدريب جهات تنسيق مجتمعية للإنذار المبكر (النساء والشباب والأشخاص ذوو الإعاقة)",
    ),
    "PRE.1.1.2": _t(
        "Intégrer des indicateurs de genre dans le système national d'alerte précoce",
        "Integrar indicadores de género en el sistema nacional de alerta temprana",
        "إدماج مؤشرات جنسانية في النظام الوطني للإنذار المبكر",
    ),
    "PRE.1.1.3": _t(
        "Mener des campagnes de radio communautaire sur les masculinités positives",
        "Realizar campañas de radio comunitaria sobre masculinidades positivas",
        "تنظيم حملات إذاعية مجتمعية حول الذكورة الإيجابية",
    ),
    "PRE.2": _t(
        "Moins d'armes légères circulent et la violence communautaire recule",
        "Circulan menos armas pequeñas y disminuye la violencia comunitaria",
        "يقل انتشار الأسلحة الصغيرة ويتراجع العنف المجتمعي",
    ),
    "PRE.2.1": _t(
        "Le contrôle des armes légères associe les femmes",
        "El control de las armas pequeñas involucra a las mujeres",
        "يشرك الحد من الأسلحة الصغيرة النساءَ",
    ),
    "PRE.2.1.1": _t(
        "Inclure les organisations de femmes dans la commission nationale de contrôle des armes légères",
        "Incluir a las organizaciones de mujeres en la comisión nacional de control de armas pequeñas",
        "إشراك المنظمات النسائية في اللجنة الوطنية لمراقبة الأسلحة الصغيرة",
    ),
    "PRE.2.1.2": _t(
        "Mener la collecte communautaire d'armes avec les groupes de femmes au Sud-Kivu",
        "Realizar la recogida comunitaria de armas con grupos de mujeres en Kivu del Sur",
        "تنفيذ جمع الأسلحة على مستوى المجتمع المحلي مع المجموعات النسائية في كيفو الجنوبية",
    ),
    "PRE.2.1.3": _t(
        "Cartographier les risques de violence contre les femmes autour des sites miniers",
        "Mapear los riesgos de violencia contra las mujeres en torno a los sitios mineros",
        "رسم خرائط لمخاطر العنف ضد المرأة حول مواقع التعدين",
    ),
    "PRO.1": _t(
        "Les survivantes de violences sexuelles et basées sur le genre obtiennent justice",
        "Las sobrevivientes de violencia sexual y de género obtienen justicia",
        "تحصل الناجيات من العنف الجنسي والجنساني على العدالة",
    ),
    "PRO.1.1": _t(
        "Les capacités d'enquête et de poursuite sont renforcées",
        "Se refuerza la capacidad de investigación y enjuiciamiento",
        "تعزيز القدرة على التحقيق والملاحقة القضائية",
    ),
    "PRO.1.1.1": _t(
        "Former policiers, magistrats et juges militaires aux enquêtes sur les VSBG",
        "Capacitar a agentes de policía, magistrados y jueces militares en la investigación de la VSG",
        "تدريب أفراد الشرطة والقضاة والقضاة العسكريين على التحقيق في العنف الجنسي والجنساني",
    ),
    "PRO.1.1.2": _t(
        "Déployer des audiences foraines dans les territoires reculés du Nord-Kivu et du Sud-Kivu",
        "Desplegar tribunales móviles en los territorios remotos de Kivu del Norte y Kivu del Sur",
        "نشر محاكم متنقلة في الأقاليم النائية في كيفو الشمالية وكيفو الجنوبية",
    ),
    "PRO.1.1.3": _t(
        "Créer des unités de police spécialisées dans les VSBG dans chaque province",
        "Crear unidades policiales especializadas en VSG en cada provincia",
        "إنشاء وحدات شرطة متخصصة في العنف الجنسي والجنساني في كل مقاطعة",
    ),
    "PRO.1.2": _t(
        "La loi protège les femmes et les filles",
        "La ley protege a las mujeres y las niñas",
        "القانون يحمي النساء والفتيات",
    ),
    "PRO.1.2.1": _t(
        "Adopter la loi sur la protection des survivantes de violences sexuelles liées aux conflits",
        "Aprobar la ley de protección de las sobrevivientes de violencia sexual relacionada con los conflictos",
        "اعتماد قانون حماية الناجيات من العنف الجنسي المرتبط بالنزاعات",
    ),
    "PRO.1.2.2": _t(
        "Diffuser la loi en lingala, swahili, kikongo et tshiluba",
        "Difundir la ley en lingala, suajili, kikongo y tshiluba",
        "نشر القانون باللغات اللينغالا والسواحيلية والكيكونغو والتشيلوبا",
    ),
    "PRO.2": _t(
        "Les survivantes reçoivent une prise en charge holistique",
        "Las sobrevivientes reciben una atención integral",
        "تتلقى الناجيات رعاية شاملة",
    ),
    "PRO.2.1": _t(
        "Des centres intégrés fonctionnent dans les provinces touchées par les conflits",
        "Funcionan centros de atención integral en las provincias afectadas por los conflictos",
        "تعمل مراكز خدمات متكاملة في المقاطعات المتأثرة بالنزاعات",
    ),
    "PRO.2.1.1": _t(
        "Équiper des centres intégrés pour les survivantes à Goma, Bukavu et Uvira",
        "Equipar centros de atención integral para sobrevivientes en Goma, Bukavu y Uvira",
        "تجهيز مراكز خدمات متكاملة للناجيات في غوما وبوكافو وأوفيرا",
    ),
    "PRO.2.1.2": _t(
        "Former le personnel de santé à la prise en charge clinique du viol",
        "Capacitar al personal de salud en el manejo clínico de la violación",
        "تدريب مقدمي الرعاية الصحية على الإدارة السريرية لحالات الاغتصاب",
    ),
    "PRO.2.1.3": _t(
        "Mettre en place une ligne verte nationale pour les survivantes (remplacée par des lignes provinciales)",
        "Crear una línea gratuita nacional para sobrevivientes (sustituida por líneas provinciales)",
        "إنشاء خط هاتفي وطني مجاني للناجيات (استعيض عنه بخطوط على مستوى المقاطعات)",
    ),
    "REL.1": _t(
        "Les femmes et les filles touchées par les conflits se relèvent économiquement",
        "Las mujeres y las niñas afectadas por los conflictos se recuperan económicamente",
        "تتعافى النساء والفتيات المتأثرات بالنزاعات اقتصادياً",
    ),
    "REL.1.1": _t(
        "Les survivantes, les femmes déplacées et les ex-combattantes sont réintégrées",
        "Las sobrevivientes, las mujeres desplazadas y las excombatientes se reintegran",
        "إعادة إدماج الناجيات والنازحات والمقاتلات السابقات",
    ),
    "REL.1.1.1": _t(
        "Apporter un appui aux activités génératrices de revenus des survivantes et des femmes déplacées",
        "Apoyar actividades generadoras de ingresos para sobrevivientes y mujeres desplazadas",
        "تقديم الدعم لأنشطة توليد الدخل للناجيات والنازحات",
    ),
    "REL.1.1.2": _t(
        "Inclure les ex-combattantes et les femmes associées aux groupes armés dans le programme DDR",
        "Incluir a las excombatientes y a las mujeres asociadas a grupos armados en el programa de DDR",
        "إدراج المقاتلات السابقات والنساء المرتبطات بالجماعات المسلحة في برنامج نزع السلاح والتسريح وإعادة الإدماج",
    ),
    "REL.1.1.3": _t(
        "Soutenir les associations villageoises d'épargne et de crédit de femmes à Masisi et Rutshuru",
        "Apoyar las asociaciones comunitarias de ahorro y crédito de mujeres en Masisi y Rutshuru",
        "دعم جمعيات الادخار والإقراض القروية النسائية في ماسيسي وروتشورو",
    ),
    "REL.2": _t(
        "La réponse humanitaire répond aux besoins spécifiques des femmes et des filles",
        "La respuesta humanitaria atiende las necesidades específicas de las mujeres y las niñas",
        "تلبي الاستجابة الإنسانية الاحتياجات الخاصة للنساء والفتيات",
    ),
    "REL.2.1": _t(
        "Les femmes déplacées façonnent la planification humanitaire",
        "Las mujeres desplazadas influyen en la planificación humanitaria",
        "تسهم النساء النازحات في تشكيل التخطيط الإنساني",
    ),
    "REL.2.1.1": _t(
        "Consulter les femmes déplacées pour chaque plan provincial de réponse humanitaire",
        "Consultar a las mujeres desplazadas para cada plan provincial de respuesta humanitaria",
        "استشارة النساء النازحات في كل خطة استجابة إنسانية على مستوى المقاطعة",
    ),
    "REL.2.1.2": _t(
        "Fournir des kits de santé sexuelle et reproductive dans les sites de déplacés",
        "Proporcionar kits de salud sexual y reproductiva en los sitios de desplazamiento",
        "توفير مجموعات لوازم الصحة الجنسية والإنجابية في مواقع النزوح",
    ),
    "COO.1": _t(
        "Le PAN est coordonné, financé et suivi",
        "El PAN se coordina, se financia y se le da seguimiento",
        "يتم تنسيق خطة العمل الوطنية وتمويلها ورصدها",
    ),
    "COO.1.1": _t(
        "Les organes de coordination fonctionnent",
        "Los órganos de coordinación funcionan",
        "تعمل هيئات التنسيق",
    ),
    "COO.1.1.1": _t(
        "Tenir les réunions trimestrielles du comité de pilotage national",
        "Celebrar las reuniones trimestrales del comité directivo nacional",
        "عقد الاجتماعات الفصلية للجنة التوجيهية الوطنية",
    ),
    "COO.1.1.2": _t(
        "Mettre en place des comités de pilotage provinciaux dans les 26 provinces",
        "Crear comités directivos provinciales en las 26 provincias",
        "إنشاء لجان توجيهية في المقاطعات الست والعشرين كلها",
    ),
    "COO.1.2": _t(
        "Le suivi, le rapportage et le financement sont en place",
        "El seguimiento, la presentación de informes y la financiación están en marcha",
        "الرصد والإبلاغ والتمويل قائمة",
    ),
    "COO.1.2.1": _t(
        "Déployer WPS Monitor et former les points focaux provinciaux",
        "Implantar WPS Monitor y capacitar a los puntos focales provinciales",
        "تشغيل WPS Monitor وتدريب جهات التنسيق في المقاطعات",
    ),
    "COO.1.2.2": _t(
        "Publier un rapport annuel de mise en œuvre avec un chapitre alternatif de la société civile",
        "Publicar un informe anual de ejecución con un capítulo alternativo de la sociedad civil",
        "نشر تقرير سنوي عن التنفيذ يتضمن فصلاً موازياً من المجتمع المدني",
    ),
    "COO.1.2.3": _t(
        "Créer une ligne budgétaire pour le PAN dans la loi de finances",
        "Crear una partida presupuestaria para el PAN en la ley de presupuesto nacional",
        "إنشاء بند في الميزانية لخطة العمل الوطنية في قانون المالية الوطني",
    ),
    "COO.1.2.4": _t(
        "Conduire l'examen à mi-parcours du PAN",
        "Realizar el examen de mitad de período del PAN",
        "إجراء استعراض منتصف المدة لخطة العمل الوطنية",
    ),
}

# Indicators' titles, by code.
INDICATORS: dict[str, dict[str, str]] = {
    "PAR-01": _t(
        "Membres de l'Assemblée nationale, par sexe",
        "Miembros de la Asamblea Nacional, por sexo",
        "أعضاء الجمعية الوطنية، حسب الجنس",
    ),
    "PAR-02": _t(
        "Part des femmes dans les sièges de l'Assemblée nationale",
        "Proporción de escaños ocupados por mujeres en la Asamblea Nacional",
        "نسبة المقاعد التي تشغلها النساء في الجمعية الوطنية",
    ),
    "PAR-03": _t(
        "Membres des assemblées provinciales, par sexe",
        "Miembros de las asambleas provinciales, por sexo",
        "أعضاء جمعيات المقاطعات، حسب الجنس",
    ),
    "PAR-04": _t(
        "Part des femmes dans les sièges des assemblées provinciales",
        "Proporción de escaños ocupados por mujeres en las asambleas provinciales",
        "نسبة المقاعد التي تشغلها النساء في جمعيات المقاطعات",
    ),
    "PAR-05": _t(
        "Membres des délégations officielles aux négociations de paix, par sexe",
        "Miembros de las delegaciones oficiales en negociaciones de paz, por sexo",
        "أعضاء الوفود الرسمية في مفاوضات السلام، حسب الجنس",
    ),
    "PAR-06": _t(
        "Part des femmes parmi les négociateurs des délégations officielles",
        "Proporción de mujeres entre los negociadores de las delegaciones oficiales",
        "نسبة النساء بين المفاوضين في الوفود الرسمية",
    ),
    "PAR-07": _t(
        "Fonctionnaires de police, par sexe et par grade",
        "Personal de policía, por sexo y rango",
        "أفراد الشرطة، حسب الجنس والرتبة",
    ),
    "PAR-08": _t(
        "Part des femmes parmi les fonctionnaires de police, par grade",
        "Proporción de mujeres en el personal de policía, por rango",
        "نسبة النساء بين أفراد الشرطة، حسب الرتبة",
    ),
    "PAR-09": _t(
        "Comités locaux de résolution des conflits comptant au moins 30 % de femmes",
        "Comités locales de resolución de conflictos con al menos un 30 % de mujeres",
        "لجان حل النزاعات المحلية التي لا تقل نسبة النساء بين أعضائها عن 30%",
    ),
    "PRE-01": _t(
        "Points focaux communautaires d'alerte précoce formés, par sexe, âge et handicap",
        "Puntos focales comunitarios de alerta temprana capacitados, por sexo, edad y discapacidad",
        "جهات التنسيق المجتمعية للإنذار المبكر المدرَّبة، حسب الجنس والعمر والإعاقة",
    ),
    "PRE-02": _t(
        "La commission nationale de contrôle des armes légères inclut des organisations de femmes",
        "La comisión nacional de control de armas pequeñas incluye a organizaciones de mujeres",
        "اللجنة الوطنية لمراقبة الأسلحة الصغيرة تضم منظمات نسائية",
    ),
    "PRE-03": _t(
        "Alertes précoces sur des violences contre les femmes traitées dans les 72 heures",
        "Alertas tempranas sobre violencia contra las mujeres atendidas en 72 horas",
        "تنبيهات الإنذار المبكر بشأن العنف ضد المرأة التي استُجيب لها في غضون 72 ساعة",
    ),
    "PRE-04": _t(
        "Intégration du genre dans le système national d'alerte précoce",
        "Integración del género en el sistema nacional de alerta temprana",
        "إدماج المنظور الجنساني في النظام الوطني للإنذار المبكر",
    ),
    "PRO-01": _t(
        "Cas de VSBG signalés, par sexe, âge et handicap des survivants",
        "Casos de VSG denunciados, por sexo, edad y discapacidad de la persona sobreviviente",
        "حالات العنف الجنسي والجنساني المبلغ عنها، حسب جنس الناجين وأعمارهم وإعاقتهم",
    ),
    "PRO-02": _t(
        "Cas de VSBG ayant fait l'objet d'une enquête, par sexe, âge et handicap des survivants",
        "Casos de VSG investigados, por sexo, edad y discapacidad de la persona sobreviviente",
        "حالات العنف الجنسي والجنساني التي جرى التحقيق فيها، حسب جنس الناجين وأعمارهم وإعاقتهم",
    ),
    "PRO-03": _t(
        "Cas de VSBG poursuivis en justice, par sexe, âge et handicap des survivants",
        "Casos de VSG enjuiciados, por sexo, edad y discapacidad de la persona sobreviviente",
        "حالات العنف الجنسي والجنساني المحالة إلى القضاء، حسب جنس الناجين وأعمارهم وإعاقتهم",
    ),
    "PRO-04": _t(
        "Taux de poursuite des VSBG (cas poursuivis pour 100 cas signalés)",
        "Tasa de enjuiciamiento de la VSG (casos enjuiciados por cada 100 casos denunciados)",
        "معدل الملاحقة القضائية في حالات العنف الجنسي والجنساني (الحالات المحالة لكل 100 حالة مبلغ عنها)",
    ),
    "PRO-05": _t(
        "Personnel de police, de justice et militaire formé aux VSBG, par sexe, âge et handicap",
        "Personal policial, judicial y militar capacitado en VSG, por sexo, edad y discapacidad",
        "أفراد الشرطة والقضاء والجيش المدرَّبون على العنف الجنسي والجنساني، حسب الجنس والعمر والإعاقة",
    ),
    "PRO-06": _t(
        "Survivantes recevant une prise en charge holistique dans les 72 heures",
        "Sobrevivientes que reciben atención integral en 72 horas",
        "الناجيات اللواتي يتلقين رعاية شاملة في غضون 72 ساعة",
    ),
    "PRO-07": _t(
        "Loi sur la protection des survivantes de violences sexuelles liées aux conflits adoptée",
        "Aprobada la ley de protección de las sobrevivientes de violencia sexual relacionada con los conflictos",
        "اعتماد قانون حماية الناجيات من العنف الجنسي المرتبط بالنزاعات",
    ),
    "PRO-08": _t(
        "Lois, politiques et mécanismes adoptés conformément à la résolution 1325",
        "Leyes, políticas y mecanismos aprobados de conformidad con la resolución 1325",
        "القوانين والسياسات والآليات المعتمدة وفقاً للقرار 1325",
    ),
    "REL-01": _t(
        "Survivants et personnes déplacées appuyés par des activités génératrices de revenus, par sexe, âge et handicap",
        "Sobrevivientes y personas desplazadas apoyadas con actividades generadoras de ingresos, por sexo, edad y discapacidad",
        "الناجون والنازحون الذين تلقوا دعماً لتوليد الدخل، حسب الجنس والعمر والإعاقة",
    ),
    "REL-02": _t(
        "Femmes parmi les bénéficiaires du programme DDR",
        "Mujeres entre los beneficiarios del programa de DDR",
        "النساء بين المستفيدين من برنامج نزع السلاح والتسريح وإعادة الإدماج",
    ),
    "REL-03": _t(
        "Taux de mortalité maternelle", "Razón de mortalidad materna", "نسبة وفيات الأمهات"
    ),
    "COO-01": _t(
        "Réunions du comité de pilotage national tenues",
        "Reuniones celebradas del comité directivo nacional",
        "اجتماعات اللجنة التوجيهية الوطنية المعقودة",
    ),
    "COO-02": _t(
        "Étape atteinte par le système de suivi du PAN",
        "Etapa alcanzada por el sistema de seguimiento del PAN",
        "المرحلة التي بلغها نظام رصد خطة العمل الوطنية",
    ),
    "COO-03": _t(
        "Budget prévu du PAN décaissé",
        "Presupuesto previsto del PAN desembolsado",
        "الميزانية المقررة لخطة العمل الوطنية المصروفة",
    ),
    "COO-04": _t(
        "Appréciation de la place de la société civile dans la coordination du PAN",
        "Valoración del papel de la sociedad civil en la coordinación del PAN",
        "تقييم دور المجتمع المدني في تنسيق خطة العمل الوطنية",
    ),
    "COO-05": _t(
        "Provinces dotées d'un comité de pilotage provincial fonctionnel",
        "Provincias con un comité directivo provincial en funcionamiento",
        "المقاطعات التي لديها لجنة توجيهية عاملة",
    ),
    # Civil society's own indicators (demo/shadow.py), written in the plan's language too.
    "CSO-CFPL-1": _t(
        "Organisations de femmes consultées avant l'adoption d'un plan d'action provincial",
        "Organizaciones de mujeres consultadas antes de aprobar un plan de acción provincial",
        "المنظمات النسائية التي استُشيرت قبل اعتماد خطة عمل على مستوى المقاطعة",
    ),
    "CSO-RFPK-1": _t(
        "Membres des comités locaux de paix qui disent que leur avis est pris en compte",
        "Integrantes de los comités locales de paz que dicen que se tiene en cuenta su opinión",
        "عضوات لجان السلام المحلية اللواتي يقلن إن آراءهن تؤخذ في الاعتبار",
    ),
    "CSO-CFPL-2": _t(
        "Défenseures des droits humains menacées protégées dans la semaine",
        "Defensoras de derechos humanos amenazadas que recibieron protección en el plazo de una semana",
        "المدافعات عن حقوق الإنسان المهدَّدات اللواتي حصلن على الحماية في غضون أسبوع",
    ),
}

# Indicators' units, by their English text ("singular|plural": core/units.py); the same unit
# reads the same in every indicator.
UNITS: dict[str, dict[str, str]] = {
    "%": _t("%", "%", "%"),
    "member|members": _t("membre|membres", "miembro|miembros", "عضو|أعضاء"),
    "negotiator|negotiators": _t(
        "négociateur|négociateurs", "negociador|negociadores", "مفاوض|مفاوضون"
    ),
    "officer|officers": _t(
        "fonctionnaire de police|fonctionnaires de police",
        "agente de policía|agentes de policía",
        "فرد شرطة|أفراد شرطة",
    ),
    "person|people": _t("personne|personnes", "persona|personas", "شخص|أشخاص"),
    "case|cases": _t("cas|cas", "caso|casos", "حالة|حالات"),
    "text|texts": _t("texte|textes", "texto|textos", "نص|نصوص"),
    "deaths per 100,000 live births": _t(
        "décès pour 100 000 naissances vivantes",
        "muertes por cada 100.000 nacidos vivos",
        "وفيات لكل 100000 ولادة حية",
    ),
    "meeting|meetings": _t("réunion|réunions", "reunión|reuniones", "اجتماع|اجتماعات"),
    "province|provinces": _t("province|provinces", "provincia|provincias", "مقاطعة|مقاطعات"),
    "organisations": _t("organisations", "organizaciones", "منظمات"),
}

# The options of the plan's own dimension, police rank (the shared dimensions' options, sex,
# age and disability, are msgids of the catalogue, translated there: core/names.py).
RANK_OPTIONS: dict[str, dict[str, str]] = {
    "senior": _t(
        "Officiers supérieurs (commissaires)",
        "Oficiales superiores (comisarios)",
        "كبار الضباط (المفوضون)",
    ),
    "officer": _t("Officiers", "Oficiales", "الضباط"),
    "nco": _t("Sous-officiers", "Suboficiales", "ضباط الصف"),
    "agent": _t("Agents", "Agentes", "الأفراد"),
}
# The police's corps, over its ranks (content.CATEGORY_OPTIONS).
CATEGORY_OPTIONS: dict[str, dict[str, str]] = {
    "officers": _t("Corps des officiers", "Cuerpo de oficiales", "سلك الضباط"),
    "ncos": _t("Corps des sous-officiers", "Cuerpo de suboficiales", "سلك ضباط الصف"),
    "agents": _t("Corps des agents", "Cuerpo de agentes", "سلك الأفراد"),
}

# Organisations: code -> (the language of the name in content.ORGANISATIONS, its name in the
# other three languages).
ORGANISATIONS: dict[str, tuple[str, dict[str, str]]] = {
    "demo-mgfe": (
        "fr",
        {
            "en": "Ministry of Gender, Family and Children",
            "es": "Ministerio de Género, Familia e Infancia",
            "ar": "وزارة النوع الاجتماعي والأسرة والطفل",
        },
    ),
    "demo-sn1325": (
        "fr",
        {
            "en": "National Secretariat 1325",
            "es": "Secretaría Nacional 1325",
            "ar": "الأمانة الوطنية للقرار 1325",
        },
    ),
    "demo-mjustice": (
        "fr",
        {
            "en": "Ministry of Justice",
            "es": "Ministerio de Justicia",
            "ar": "وزارة العدل",
        },
    ),
    "demo-minterieur": (
        "fr",
        {
            "en": "Ministry of the Interior and Security",
            "es": "Ministerio del Interior y Seguridad",
            "ar": "وزارة الداخلية والأمن",
        },
    ),
    "demo-mdefense": (
        "fr",
        {
            "en": "Ministry of National Defence",
            "es": "Ministerio de Defensa Nacional",
            "ar": "وزارة الدفاع الوطني",
        },
    ),
    "demo-msante": (
        "fr",
        {
            "en": "Ministry of Public Health",
            "es": "Ministerio de Salud Pública",
            "ar": "وزارة الصحة العامة",
        },
    ),
    "demo-maffetr": (
        "fr",
        {
            "en": "Ministry of Foreign Affairs",
            "es": "Ministerio de Relaciones Exteriores",
            "ar": "وزارة الخارجية",
        },
    ),
    "demo-mfinances": (
        "fr",
        {
            "en": "Ministry of Finance",
            "es": "Ministerio de Finanzas",
            "ar": "وزارة المالية",
        },
    ),
    "demo-pnc": (
        "fr",
        {
            "en": "Congolese National Police",
            "es": "Policía Nacional Congoleña",
            "ar": "الشرطة الوطنية الكونغولية",
        },
    ),
    "demo-fardc": (
        "fr",
        {
            "en": "Armed Forces of the DRC",
            "es": "Fuerzas Armadas de la RDC",
            "ar": "القوات المسلحة لجمهورية الكونغو الديمقراطية",
        },
    ),
    "demo-assemblee": (
        "fr",
        {
            "en": "National Assembly",
            "es": "Asamblea Nacional",
            "ar": "الجمعية الوطنية",
        },
    ),
    "demo-gouv-kn": (
        "fr",
        {
            "en": "Kinshasa City Hall",
            "es": "Alcaldía de Kinshasa",
            "ar": "دار بلدية كينشاسا",
        },
    ),
    "demo-gouv-nk": (
        "fr",
        {
            "en": "Provincial Government of North Kivu",
            "es": "Gobierno Provincial de Kivu del Norte",
            "ar": "حكومة مقاطعة كيفو الشمالية",
        },
    ),
    "demo-gouv-sk": (
        "fr",
        {
            "en": "Provincial Government of South Kivu",
            "es": "Gobierno Provincial de Kivu del Sur",
            "ar": "حكومة مقاطعة كيفو الجنوبية",
        },
    ),
    "demo-cfpl": (
        "fr",
        {
            "en": "Women's Coalition for Peace and Leadership (fictitious)",
            "es": "Coalición de Mujeres por la Paz y el Liderazgo (ficticia)",
            "ar": "ائتلاف النساء من أجل السلام والقيادة (وهمي)",
        },
    ),
    "demo-rfpk": (
        "fr",
        {
            "en": "Network of Rural Women for Peace in Kivu (fictitious)",
            "es": "Red de Mujeres Campesinas por la Paz en Kivu (ficticia)",
            "ar": "شبكة النساء الريفيات من أجل السلام في كيفو (وهمية)",
        },
    ),
    "demo-jpe": (
        "fr",
        {
            "en": "Youth for Peace and Equality (fictitious)",
            "es": "Jóvenes por la Paz y la Igualdad (ficticia)",
            "ar": "الشباب من أجل السلام والمساواة (وهمية)",
        },
    ),
    "demo-sfj": (
        "fr",
        {
            "en": "Synergy of Women Lawyers for Rights (fictitious)",
            "es": "Sinergia de Mujeres Juristas por los Derechos (ficticia)",
            "ar": "تآزر الحقوقيات من أجل الحقوق (وهمية)",
        },
    ),
    "demo-unwomen": (
        "en",
        {
            "fr": "ONU Femmes",
            "es": "ONU Mujeres",
            "ar": "هيئة الأمم المتحدة للمرأة",
        },
    ),
    "demo-unfpa": (
        "en",
        {
            "fr": "Fonds des Nations Unies pour la population",
            "es": "Fondo de Población de las Naciones Unidas",
            "ar": "صندوق الأمم المتحدة للسكان",
        },
    ),
    "demo-monusco": (
        "en",
        {
            "fr": "MONUSCO",
            "es": "MONUSCO",
            "ar": "بعثة منظمة الأمم المتحدة لتحقيق الاستقرار في جمهورية الكونغو الديمقراطية",
        },
    ),
    "demo-donor": (
        "en",
        {
            "fr": "Fonds nordique pour la paix et l'égalité (fictif)",
            "es": "Fondo Nórdico para la Paz y la Igualdad (ficticio)",
            "ar": "الصندوق الشمالي من أجل السلام والمساواة (وهمي)",
        },
    ),
    "demo-icglr": (
        "en",
        {
            "fr": "Conférence internationale sur la région des Grands Lacs",
            "es": "Conferencia Internacional sobre la Región de los Grandes Lagos",
            "ar": "المؤتمر الدولي المعني بمنطقة البحيرات الكبرى",
        },
    ),
    "demo-ugoma": (
        "fr",
        {
            "en": "University of Goma",
            "es": "Universidad de Goma",
            "ar": "جامعة غوما",
        },
    ),
}
