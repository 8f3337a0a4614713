/* kith synth: the built-in lists. Names come from many cultures and are combined at random,
 * so every person is made up. No two entries of a list share a name key (no pair differs
 * only by accents), so distinct combinations stay distinct people. */
#include "synth_int.h"

const sy_name sy_first_names[] = {
    {"Dana", "dana"},       {"Lee", "lee"},           {"José", "jose"},
    {"Zoë", "zoe"},         {"Łukasz", "lukasz"},     {"Søren", "soren"},
    {"Ngozi", "ngozi"},     {"Aarav", "aarav"},       {"Mei", "mei"},
    {"Thảo", "thao"},       {"Oğuz", "oguz"},         {"Siobhán", "siobhan"},
    {"Björn", "bjorn"},     {"Amélie", "amelie"},     {"Kwame", "kwame"},
    {"Fatima", "fatima"},   {"Yuki", "yuki"},         {"Dmitri", "dmitri"},
    {"Chidi", "chidi"},     {"Ana", "ana"},           {"Mateus", "mateus"},
    {"Inés", "ines"},       {"Rahul", "rahul"},       {"Priya", "priya"},
    {"Hannah", "hannah"},   {"Omar", "omar"},         {"Leila", "leila"},
    {"Tomás", "tomas"},     {"Ewa", "ewa"},           {"Kofi", "kofi"},
    {"Aiko", "aiko"},       {"Nils", "nils"},         {"Giulia", "giulia"},
    {"Luca", "luca"},       {"Sofia", "sofia"},       {"Elif", "elif"},
    {"Mehmet", "mehmet"},   {"Noa", "noa"},           {"Arjun", "arjun"},
    {"Camille", "camille"}, {"Hugo", "hugo"},         {"Freya", "freya"},
    {"Olu", "olu"},         {"Chen", "chen"},         {"Ji-woo", "jiwoo"},
    {"Min-jun", "minjun"},  {"Tariq", "tariq"},       {"Amara", "amara"},
    {"Sipho", "sipho"},     {"Zanele", "zanele"},     {"Mateo", "mateo"},
    {"Valentina", "valentina"}, {"Carmen", "carmen"}, {"Pablo", "pablo"},
    {"Ingrid", "ingrid"},   {"Astrid", "astrid"},     {"Kai", "kai"},
    {"Liam", "liam"},       {"Maya", "maya"},         {"Ravi", "ravi"},
    {"Anjali", "anjali"},   {"Thandi", "thandi"},     {"Emeka", "emeka"},
    {"Hiroshi", "hiroshi"},
};
const size_t sy_n_first = sizeof sy_first_names / sizeof *sy_first_names;

const sy_name sy_last_names[] = {
    {"García", "garcia"},     {"Müller", "muller"},       {"Nowak", "nowak"},
    {"Okafor", "okafor"},     {"Nguyen", "nguyen"},       {"Kowalski", "kowalski"},
    {"Haddad", "haddad"},     {"Silva", "silva"},         {"Rossi", "rossi"},
    {"Sørensen", "sorensen"}, {"Yılmaz", "yilmaz"},       {"Kim", "kim"},
    {"Park", "park"},         {"Tanaka", "tanaka"},       {"Suzuki", "suzuki"},
    {"Patel", "patel"},       {"Sharma", "sharma"},       {"Mensah", "mensah"},
    {"Dubois", "dubois"},     {"Lefèvre", "lefevre"},     {"O'Brien", "obrien"},
    {"Fernández", "fernandez"}, {"Ivanova", "ivanova"},   {"Novák", "novak"},
    {"Costa", "costa"},       {"Andersson", "andersson"}, {"van der Berg", "vanderberg"},
    {"Mbeki", "mbeki"},       {"Adeyemi", "adeyemi"},     {"Cohen", "cohen"},
    {"Levi", "levi"},         {"Khan", "khan"},           {"Rahman", "rahman"},
    {"Santos", "santos"},     {"Pereira", "pereira"},     {"Jansen", "jansen"},
    {"Bakker", "bakker"},     {"Horváth", "horvath"},     {"Kaur", "kaur"},
    {"Singh", "singh"},       {"Chowdhury", "chowdhury"}, {"Osei", "osei"},
    {"Nakamura", "nakamura"}, {"Lindqvist", "lindqvist"}, {"Moreau", "moreau"},
    {"Bianchi", "bianchi"},   {"Papadopoulos", "papadopoulos"}, {"Ødegaard", "odegaard"},
    {"Çelik", "celik"},       {"Schröder", "schroder"},   {"Đorđević", "djordjevic"},
    {"Nkosi", "nkosi"},       {"Abara", "abara"},         {"Whitfield", "whitfield"},
    {"Brennan", "brennan"},   {"Castillo", "castillo"},   {"Ortega", "ortega"},
    {"Hale", "hale"},         {"Reyes", "reyes"},         {"Quispe", "quispe"},
    {"Mahlangu", "mahlangu"}, {"Lam", "lam"},             {"Delgado", "delgado"},
    {"Petrov", "petrov"},
};
const size_t sy_n_last = sizeof sy_last_names / sizeof *sy_last_names;

/* Readers must survive these: CJK, Arabic, an emoji, a credential after a comma, and a
 * name that is a spreadsheet formula. */
const sy_special sy_specials[] = {
    {"美咲", "佐藤", "misaki", "sato"},
    {"ليلى", "حداد", "layla", "haddad-ar"},
    {"Priya 🚀", "Raman", "priya", "raman"},
    {"Chinedu", "Okonkwo, PhD", "chinedu", "okonkwo"},
    {"=HYPERLINK(\"x\")", "Formula", "hyperlink", "formula"},
};
const size_t sy_n_specials = sizeof sy_specials / sizeof *sy_specials;

/* [0] former employer, [1] current employer (see persons.c); several are written two ways
 * so employer normalization has work to do. */
const sy_company sy_companies[] = {
    {{"Globex", "Globex Corp.", NULL}, "globex.example"},
    {{"Initech", "Initech, LLC", NULL}, "initech.example"},
    {{"Acme, Inc.", "Acme Inc", NULL}, "acme.example"},
    {{"Brightwater Analytics", NULL, NULL}, "brightwater.example"},
    {{"Kestrel Robotics GmbH", "Kestrel Robotics", NULL}, "kestrel.example"},
    {{"Tidewell Health", NULL, NULL}, "tidewell.example"},
    {{"Marigold Foods S.A.", "Marigold Foods", NULL}, "marigold.example"},
    {{"Quillfeather Ltd", NULL, NULL}, "quillfeather.example"},
    {{"Bluepine Software Inc.", "Bluepine Software", NULL}, "bluepine.example"},
    {{"Saffron Logistics", NULL, NULL}, "saffron.example"},
    {{"Oakridge Capital LLC", NULL, NULL}, "oakridge.example"},
    {{"Helio Grid Corp", "HelioGrid", NULL}, "heliogrid.example"},
    {{"Parallax Studio", NULL, NULL}, "parallax.example"},
    {{"Riverstone Bank", NULL, NULL}, "riverstone.example"},
    {{"Ferrous & Finch", NULL, NULL}, "ferrousfinch.example"},
    {{"Café Lumière SARL", NULL, NULL}, "cafelumiere.example"},
    {{"Müller & Söhne GmbH", NULL, NULL}, "mueller-soehne.example"},
    {{"Nordlicht Energie AG", NULL, NULL}, "nordlicht.example"},
    {{"Corvid Data", NULL, NULL}, "corvid.example"},
    {{"Lantern Learning", NULL, NULL}, "lantern.example"},
    {{"Sable & Rowe LLP", NULL, NULL}, "sablerowe.example"},
    {{"Vireo Mobility", NULL, NULL}, "vireo.example"},
    {{"Halcyon Biotech", NULL, NULL}, "halcyon.example"},
    {{"Kumo Cloud K.K.", NULL, NULL}, "kumo.example"},
    {{"Atlas Freight", NULL, NULL}, "atlasfreight.example"},
    {{"Northbridge University", NULL, NULL}, "northbridge.example"},
    {{"Self-employed", NULL, NULL}, "mail.example"},
    {{"Greenleaf Partners", NULL, NULL}, "greenleaf.example"},
};
const size_t sy_n_companies = sizeof sy_companies / sizeof *sy_companies;

const char *const sy_positions[] = {
    "Software Engineer", "Staff Engineer", "Product Manager", "Senior Product Manager",
    "Director, Sales", "Data Scientist", "UX Designer", "Engineering Manager", "Recruiter",
    "Account Executive", "CTO", "Founder & CEO", "Marketing Lead", "Operations Analyst",
    "Head of People", "Consultant", "Research Scientist", "VP, Engineering", "Investor",
    "Professor", "Nurse Practitioner", "Supply Chain Manager",
};
const size_t sy_n_positions = sizeof sy_positions / sizeof *sy_positions;

const char *const sy_skills[] = {
    "Python", "Databases", "Leadership", "Public Speaking", "SQL", "Machine Learning",
    "Negotiation", "Project Management", "UX Research", "Go-to-Market Strategy", "C",
    "Data Analysis", "Recruiting", "Cloud Computing", "Mentoring", "Fundraising",
};
const size_t sy_n_skills = sizeof sy_skills / sizeof *sy_skills;

const char *const sy_owner_skills[] = {
    "Product Management", "Roadmapping", "User Research", "SQL", "Stakeholder Management",
    "A/B Testing", "Agile Methodologies", "Public Speaking",
};
const size_t sy_n_owner_skills = sizeof sy_owner_skills / sizeof *sy_owner_skills;
