-- The case register: reference lists, mediators, users, cases and their parties.
-- Dates are ISO text (YYYY-MM-DD) so that they sort and compare as text.
-- Money is integer fen.

CREATE TABLE categories (
    code     TEXT PRIMARY KEY,
    label_zh TEXT NOT NULL,
    label_en TEXT NOT NULL,
    sort     INTEGER NOT NULL DEFAULT 0,
    retired  INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
) STRICT;

CREATE TABLE sources (
    code     TEXT PRIMARY KEY,
    label_zh TEXT NOT NULL,
    label_en TEXT NOT NULL,
    sort     INTEGER NOT NULL DEFAULT 0,
    retired  INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
) STRICT;

CREATE TABLE party_types (
    code     TEXT PRIMARY KEY,
    label_zh TEXT NOT NULL,
    label_en TEXT NOT NULL,
    sort     INTEGER NOT NULL DEFAULT 0,
    retired  INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
) STRICT;

CREATE TABLE districts (
    code     TEXT PRIMARY KEY,
    label_zh TEXT NOT NULL,
    label_en TEXT NOT NULL,
    sort     INTEGER NOT NULL DEFAULT 0,
    retired  INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
) STRICT;

INSERT INTO categories (code, label_zh, label_en, sort) VALUES
    ('fees', '物业费纠纷', 'Property fees', 1),
    ('service_quality', '服务质量', 'Service quality', 2),
    ('parking', '停车管理', 'Parking', 3),
    ('common_revenue', '公共收益', 'Common revenue', 4),
    ('maintenance_fund', '专项维修资金', 'Maintenance fund', 5),
    ('repairs_leaks', '房屋维修与漏水', 'Repairs and leaks', 6),
    ('renovation', '装修管理', 'Renovation', 7),
    ('neighbour', '相邻关系(噪音/宠物/占道)', 'Neighbours (noise, pets, obstruction)', 8),
    ('handover', '物业交接与前期物业', 'Handover and early-stage management', 9),
    ('owners_committee', '业主委员会', 'Owners'' committee', 10),
    ('safety_loss', '安全与财物损失', 'Safety and loss of property', 11),
    ('other', '其他', 'Other', 12);

INSERT INTO sources (code, label_zh, label_en, sort) VALUES
    ('party_application', '当事人申请', 'Application by a party', 1),
    ('committee_initiative', '主动调解', 'Committee''s initiative', 2),
    ('street_referral', '街道社区移送', 'Referred by street office or community', 3),
    ('housing_authority', '住建部门移送', 'Referred by the housing authority', 4),
    ('court_referral', '法院委托(诉前调解)', 'Entrusted by a court (pre-litigation)', 5),
    ('police_referral', '公安移送', 'Referred by the police', 6),
    ('hotline_12345', '12345热线', '12345 hotline', 7),
    ('other', '其他', 'Other', 8);

INSERT INTO party_types (code, label_zh, label_en, sort) VALUES
    ('owner', '业主', 'Owner', 1),
    ('occupant', '物业使用人', 'Occupant', 2),
    ('property_company', '物业服务企业', 'Property-service company', 3),
    ('owners_committee', '业主委员会', 'Owners'' committee', 4),
    ('developer', '建设单位', 'Developer', 5),
    ('other', '其他', 'Other', 6);

INSERT INTO districts (code, label_zh, label_en, sort) VALUES
    ('dongcheng', '东城区', 'Dongcheng', 1),
    ('xicheng', '西城区', 'Xicheng', 2),
    ('chaoyang', '朝阳区', 'Chaoyang', 3),
    ('haidian', '海淀区', 'Haidian', 4),
    ('fengtai', '丰台区', 'Fengtai', 5),
    ('shijingshan', '石景山区', 'Shijingshan', 6),
    ('mentougou', '门头沟区', 'Mentougou', 7),
    ('fangshan', '房山区', 'Fangshan', 8),
    ('tongzhou', '通州区', 'Tongzhou', 9),
    ('shunyi', '顺义区', 'Shunyi', 10),
    ('changping', '昌平区', 'Changping', 11),
    ('daxing', '大兴区', 'Daxing', 12),
    ('huairou', '怀柔区', 'Huairou', 13),
    ('pinggu', '平谷区', 'Pinggu', 14),
    ('miyun', '密云区', 'Miyun', 15),
    ('yanqing', '延庆区', 'Yanqing', 16);

CREATE TABLE mediators (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL CHECK (length(name) > 0),
    phone      TEXT NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'secretary', 'mediator')),
    mediator_id   INTEGER REFERENCES mediators (id),
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL
) STRICT;

-- The last sequence number used per year; bumped in the transaction that
-- inserts the case, so a failed write leaves no gap.
CREATE TABLE case_counters (
    year     INTEGER PRIMARY KEY,
    last_seq INTEGER NOT NULL CHECK (last_seq >= 0)
) STRICT;

CREATE TABLE cases (
    id                    INTEGER PRIMARY KEY,
    case_no               TEXT NOT NULL UNIQUE,
    case_year             INTEGER NOT NULL,
    case_seq              INTEGER NOT NULL,
    received_on           TEXT NOT NULL,
    accepted_on           TEXT,
    source                TEXT NOT NULL REFERENCES sources (code),
    category              TEXT NOT NULL REFERENCES categories (code),
    project               TEXT NOT NULL,
    district              TEXT NOT NULL REFERENCES districts (code),
    summary               TEXT NOT NULL,
    amount_claimed        INTEGER NOT NULL DEFAULT 0 CHECK (amount_claimed >= 0),
    status                TEXT NOT NULL DEFAULT 'registered'
        CHECK (status IN ('registered', 'in_mediation', 'settled', 'failed', 'withdrawn', 'declined')),
    agreement_type        TEXT CHECK (agreement_type IN ('written', 'oral')),
    amount_agreed         INTEGER CHECK (amount_agreed >= 0),
    agreement_on          TEXT,
    performance_due       TEXT,
    agreement_terms       TEXT,
    fulfilment            TEXT CHECK (fulfilment IN ('pending', 'fulfilled', 'partial', 'unfulfilled')),
    judicial_confirmation TEXT NOT NULL DEFAULT 'none'
        CHECK (judicial_confirmation IN ('none', 'applied', 'confirmed', 'rejected')),
    closed_on             TEXT,
    close_reason          TEXT,
    routes_informed       TEXT,
    archived_on           TEXT,
    created_by            INTEGER REFERENCES users (id),
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    UNIQUE (case_year, case_seq)
) STRICT;

CREATE INDEX cases_received ON cases (received_on DESC, id DESC);
CREATE INDEX cases_status ON cases (status, received_on);
CREATE INDEX cases_category ON cases (category, received_on);
CREATE INDEX cases_source ON cases (source, received_on);
CREATE INDEX cases_district ON cases (district, received_on);
CREATE INDEX cases_accepted ON cases (accepted_on);

CREATE TABLE parties (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('applicant', 'respondent')),
    party_type TEXT NOT NULL REFERENCES party_types (code),
    name       TEXT NOT NULL CHECK (length(name) > 0),
    phone      TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL
) STRICT;

CREATE INDEX parties_case ON parties (case_id, role, position);

CREATE TABLE case_mediators (
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    mediator_id INTEGER NOT NULL REFERENCES mediators (id),
    PRIMARY KEY (case_id, mediator_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX case_mediators_mediator ON case_mediators (mediator_id, case_id);

-- Server-side sessions (tower-sessions records as JSON).
CREATE TABLE http_sessions (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    expiry_date INTEGER NOT NULL
) STRICT;

CREATE INDEX http_sessions_expiry ON http_sessions (expiry_date);
