"""Generate labelled English question pairs for training gistcache's learned pair verifier.

Run from the repository root (stdlib only, about half a minute on 2 cores)::

python benchmarks/gen_pairs_en.py --out benchmarks/data/generated_en.jsonl --per-kind 2000 --seed 7

Each output line is ``{"id": "gen-en-000001", "a", "b", "label", "kind"}``: ``a`` is the question
already in the cache, ``b`` the new one; ``label`` 1 means an answer to ``a`` answers ``b``
correctly, 0 means serving ``a``'s answer for ``b`` would be wrong. The same seed always gives
the same file.

Sources of ``a``:

* real questions from Quora Question Pairs (``/work/shared/data/qqp_pairs.jsonl.gz``), only rows
  whose integer id ends in 0-7 (the tuning split; 8-9 are never read), filtered to clean questions
  of 4-25 words;
* template questions (``FAMILIES``: several hundred, across programming, devops, cooking, travel,
  health, finance, shopping, customer support, science, history, law, pets, sports, maths and
  writing help), filled from the slot lists in ``SLOTS``.

Kinds. Label 1: ``trivial`` (case, punctuation, spacing, typos, contractions, texting style,
polite filler), ``paraphrase`` (question-frame swaps, synonyms, active/passive, clause order) and
``qqp_pos`` (Quora duplicates). Label 0, each a minimal edit that changes the correct answer:
``negation``, ``antonym``, ``number``, ``entity``, ``direction``, ``time``, ``scope``, ``format``,
``identifier``, ``related`` (same domain and wording, a different question) and ``qqp_neg`` (Quora
non-duplicates). Which side holds the edited form is random.

Data conventions (all lists are tuples near the top of this file):

* a slot is written ``{name}``; ``{city1}`` and ``{city2}`` are two different values of class
  ``city``; ``{book.0}`` is part 0 of a tuple value (for coupled values such as title and author);
* ``[pos|neg]`` is a polarity group: both sides of a positive pair use the same branch, a
  ``negation`` pair uses the other one;
* every class lists values that differ in meaning from one another (no aliases or synonyms), so
  replacing one value by another always changes the answer; ``SLOT_KIND`` says which negative
  kind such a replacement is.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

QQP_PATH = Path("/work/shared/data/qqp_pairs.jsonl.gz")

POSITIVE_KINDS = ("trivial", "paraphrase", "qqp_pos")
NEGATIVE_KINDS = ("negation", "antonym", "number", "entity", "direction", "time", "scope",
                  "format", "identifier", "related", "qqp_neg")
KINDS = POSITIVE_KINDS + NEGATIVE_KINDS

#: share of each kind's rows whose ``a`` comes from Quora (the rest from templates), when the
#: kind's rule applies to enough Quora questions
QQP_SHARE = {"trivial": 0.4, "paraphrase": 0.3, "negation": 0.45, "antonym": 0.45,
             "number": 0.3, "entity": 0.4, "direction": 0.12, "time": 0.3, "scope": 0.35,
             "format": 0.3, "identifier": 0.0, "related": 0.0}

Filler = str | tuple[str, ...]

# =================================================================================================
# Slot values. Every class is a tuple of interchangeable values that differ in meaning.
# =================================================================================================

PROG_LANGS = (
    "Python", "JavaScript", "TypeScript", "Java", "C#", "C++", "Go", "Rust", "Ruby", "PHP",
    "Kotlin", "Swift", "Scala", "R", "Perl", "Haskell", "Elixir", "Lua", "Dart", "Julia",
    "Clojure", "F#", "Objective-C", "MATLAB", "Bash", "PowerShell", "Erlang", "OCaml", "Zig",
    "Groovy", "Fortran", "COBOL", "Nim", "Crystal", "Visual Basic",
)
CODE_LANGS = (
    "Python", "JavaScript", "TypeScript", "Java", "C#", "C++", "Go", "Rust", "Ruby", "PHP",
    "Kotlin", "Swift", "Scala", "Haskell", "Elixir", "Lua", "Dart", "Julia", "Perl", "R", "Bash",
    "PowerShell", "Clojure", "F#",
)
FRAMEWORKS = (
    "Django", "Flask", "FastAPI", "Ruby on Rails", "Laravel", "Spring Boot", "Express", "Next.js",
    "Nuxt", "React", "Vue", "Angular", "Svelte", "Ember", "ASP.NET Core", "Phoenix", "Gin",
    "Symfony", "NestJS", "Remix", "SolidJS", "Astro", "Gatsby", "Meteor", "Koa", "Sinatra",
    "Quarkus", "Micronaut", "Blazor", "SvelteKit",
)
DATABASES = (
    "PostgreSQL", "MySQL", "SQLite", "MongoDB", "Redis", "Cassandra", "DynamoDB", "Elasticsearch",
    "MariaDB", "Oracle Database", "SQL Server", "CouchDB", "Neo4j", "ClickHouse", "Firestore",
    "CockroachDB", "InfluxDB", "Snowflake", "BigQuery", "DuckDB", "Couchbase", "ScyllaDB",
)
SQL_DBS = ("PostgreSQL", "MySQL", "SQLite", "SQL Server", "Oracle Database", "MariaDB",
           "Snowflake", "BigQuery", "DuckDB")
CLOUDS = (
    "AWS", "Azure", "Google Cloud", "DigitalOcean", "Heroku", "Linode", "Vercel", "Netlify",
    "Cloudflare", "Oracle Cloud", "IBM Cloud", "Fly.io", "Render", "Hetzner", "Alibaba Cloud",
    "OVHcloud",
)
OSES = (
    "Ubuntu", "Windows 11", "Windows 10", "macOS", "Debian", "Fedora", "Arch Linux", "CentOS",
    "Linux Mint", "Raspberry Pi OS", "Alpine Linux", "openSUSE", "FreeBSD", "Rocky Linux",
    "ChromeOS", "Manjaro",
)
TOOLS = (
    "Docker", "Kubernetes", "Terraform", "Ansible", "Jenkins", "Git", "Node.js", "nginx", "Apache",
    "Prometheus", "Grafana", "Helm", "minikube", "Vagrant", "VirtualBox", "Postman", "VS Code",
    "IntelliJ IDEA", "PyCharm", "Vim", "Emacs", "Homebrew", "Miniconda", "Yarn", "OpenJDK",
    "Maven", "Gradle", "RabbitMQ", "Kafka", "HAProxy", "Traefik", "Consul", "Vault", "Podman",
    "k3s", "Argo CD", "Certbot", "WireGuard", "OpenVPN", "Wine", "Steam", "Zoom", "Slack",
    "PostgreSQL", "Redis", "Python", "Go", "Rust", "MongoDB", "Elasticsearch",
)
DAEMONS = (
    "nginx", "Docker", "PostgreSQL", "Redis", "the SSH server", "cron", "Apache", "MySQL",
    "MongoDB", "Jenkins", "a Node.js app", "a Python script", "a Minecraft server", "Tomcat",
)
WEB_SERVERS = ("nginx", "Apache", "Caddy", "Traefik", "HAProxy", "IIS", "Lighttpd", "Tomcat")
CI_TOOLS = ("GitHub Actions", "GitLab CI", "Jenkins", "CircleCI", "Travis CI", "Azure Pipelines",
            "Bitbucket Pipelines", "Buildkite", "TeamCity", "Drone")
IAC_TOOLS = ("Terraform", "Ansible", "Pulumi", "CloudFormation", "Chef", "Puppet", "SaltStack",
             "Crossplane")
ORCHESTRATORS = ("Kubernetes", "Docker Swarm", "Nomad", "Amazon ECS", "OpenShift")
PY_PKGS = (
    "numpy", "pandas", "requests", "scikit-learn", "matplotlib", "TensorFlow", "PyTorch",
    "BeautifulSoup", "SQLAlchemy", "pytest", "Pillow", "OpenCV", "Celery", "Pydantic", "SciPy",
    "Jupyter", "Selenium", "Scrapy", "Poetry", "black", "mypy", "NLTK", "spaCy", "Plotly",
)
APPS = (
    "Gmail", "Netflix", "Spotify", "Instagram", "Facebook", "Zoom", "Slack", "Discord", "Dropbox",
    "LinkedIn", "TikTok", "Snapchat", "WhatsApp", "Telegram", "Microsoft Teams", "Outlook",
    "Google Drive", "iCloud", "Steam", "Uber", "Airbnb", "PayPal", "Venmo", "Pinterest", "Reddit",
    "YouTube", "eBay", "Duolingo", "Notion", "Twitch", "Tinder", "Signal", "Skype", "Quora",
)
SUBSCRIPTIONS = (
    "Netflix", "Spotify Premium", "Amazon Prime", "Disney+", "YouTube Premium",
    "Adobe Creative Cloud", "Microsoft 365", "Apple Music", "Hulu", "ChatGPT Plus",
    "Duolingo Super", "Peloton", "Audible", "Xbox Game Pass", "PlayStation Plus", "Max",
    "Paramount+", "iCloud+", "LinkedIn Premium", "Strava", "Kindle Unlimited", "Grammarly Premium",
)
COMPANIES = (
    "Apple", "Google", "Microsoft", "Amazon", "Tesla", "Netflix", "Nvidia", "Intel", "AMD", "IBM",
    "Oracle", "Samsung", "Sony", "Toyota", "Ford", "Nike", "Adidas", "Coca-Cola", "PepsiCo",
    "McDonald's", "Starbucks", "Walmart", "Costco", "Disney", "Boeing", "Airbus", "Salesforce",
    "Adobe", "Uber", "Airbnb", "Shopify", "PayPal", "JPMorgan Chase", "Goldman Sachs",
    "Berkshire Hathaway", "Pfizer", "Moderna", "Johnson & Johnson", "Unilever", "IKEA",
    "Volkswagen", "BMW", "Honda", "Alibaba", "Tencent", "Huawei", "Xiaomi", "Dell", "Lenovo",
    "Cisco", "Qualcomm", "Spotify", "Infosys", "Tata Consultancy Services", "Flipkart", "Accenture",
)
STORES = (
    "Amazon", "Walmart", "Target", "Best Buy", "Costco", "Home Depot", "IKEA", "eBay", "Etsy",
    "Lowe's", "Macy's", "Kohl's", "Wayfair", "Newegg", "B&H Photo", "the Apple Store", "Sephora",
    "Ulta", "Zara", "H&M", "Nordstrom", "Aldi", "Trader Joe's", "Whole Foods", "Argos", "Currys",
)
BANKS = (
    "Chase", "Bank of America", "Wells Fargo", "Citi", "Capital One", "American Express",
    "Discover", "HSBC", "Barclays", "US Bank", "PNC", "TD Bank", "Ally Bank", "Revolut", "Monzo",
    "Santander", "Lloyds", "N26", "Chime", "Charles Schwab", "SBI", "HDFC Bank", "ICICI Bank",
)
PHONES = (
    "iPhone 15", "iPhone 15 Pro", "iPhone 14", "iPhone 13", "Galaxy S24", "Galaxy S23",
    "Galaxy Z Flip 5", "Pixel 8", "Pixel 8 Pro", "Pixel 7a", "OnePlus 12", "Nothing Phone 2",
    "Moto G Power", "Xperia 1 V", "Galaxy A54",
)
LAPTOPS = (
    "MacBook Air M2", "MacBook Air M3", "MacBook Pro 14", "MacBook Pro 16", "Dell XPS 13",
    "Dell XPS 15", "ThinkPad X1 Carbon", "ThinkPad T14", "HP Spectre x360", "Surface Laptop 5",
    "Asus Zenbook 14", "Acer Swift 3", "Framework Laptop 13", "Razer Blade 14", "LG Gram 17",
)
GADGETS = (
    "PlayStation 5", "Xbox Series X", "Nintendo Switch OLED", "Steam Deck", "iPad Air", "iPad Pro",
    "Kindle Paperwhite", "Apple Watch Series 9", "AirPods Pro", "Sony WH-1000XM5",
    "Bose QuietComfort Ultra", "Galaxy Buds2 Pro", "Fitbit Charge 6", "GoPro Hero 12",
    "Roomba j7", "Dyson V15", "Instant Pot Duo", "Nespresso Vertuo", "Echo Dot",
    "Ring Video Doorbell", "Meta Quest 3", "Garmin Forerunner 265", "Sonos Era 100",
    "Kindle Scribe", "Nest Thermostat",
)
PRODUCTS = PHONES + LAPTOPS + GADGETS
PRODUCT_CATS = (
    "laptop", "gaming laptop", "phone", "TV", "robot vacuum", "mattress", "office chair",
    "espresso machine", "air fryer", "mechanical keyboard", "gaming monitor", "backpack",
    "mirrorless camera", "tablet", "smartwatch", "blender", "e-reader", "electric toothbrush",
    "pair of noise-cancelling headphones", "drone", "standing desk", "coffee grinder",
    "3D printer", "electric scooter", "pair of running shoes", "stand mixer", "rice cooker",
)
GIFT_FOR = (
    "my dad", "my mom", "a coworker", "a teenager", "a 5-year-old", "my boyfriend",
    "my girlfriend", "a new homeowner", "a coffee lover", "a gamer", "a gardener", "a runner",
    "a teacher", "my grandmother", "a college student", "a dog owner", "a photographer",
)
COLORS = (
    "black", "white", "silver", "blue", "red", "green", "pink", "gold", "space gray", "navy",
    "beige", "purple", "yellow", "orange",
)
DEVICES = (
    "phone", "laptop", "printer", "router", "smart TV", "tablet", "smartwatch",
    "Bluetooth speaker", "game console", "desktop PC", "monitor", "e-reader", "webcam",
    "external hard drive", "wireless mouse", "projector", "security camera", "smart speaker",
    "wireless keyboard", "graphics card",
)
APPLIANCES = (
    "washing machine", "dishwasher", "dryer", "fridge", "oven", "microwave", "air conditioner",
    "coffee maker", "water heater", "furnace", "heat pump", "robot vacuum", "garage door opener",
    "printer", "induction hob",
)
ACCOUNT_FIELDS = (
    "email address", "phone number", "username", "profile picture", "display language",
    "billing address", "date of birth", "payment method", "notification settings", "time zone",
)
COMPUTER_KINDS = ("a Windows PC", "a Mac", "a Chromebook", "a Linux laptop")
PHONE_KINDS = ("an iPhone", "an Android phone")
COUNTRIES = (
    "France", "Germany", "Italy", "Spain", "Portugal", "Japan", "China", "India", "Brazil",
    "Mexico", "Canada", "Australia", "Argentina", "Egypt", "Kenya", "Nigeria", "South Africa",
    "Morocco", "Greece", "Sweden", "Norway", "Finland", "Denmark", "Poland", "Ireland", "Iceland",
    "Switzerland", "Austria", "Belgium", "the Netherlands", "Russia", "Ukraine", "Thailand",
    "Vietnam", "Indonesia", "Malaysia", "Singapore", "the Philippines", "South Korea",
    "New Zealand", "Peru", "Chile", "Colombia", "Cuba", "Israel", "Iran", "Saudi Arabia",
    "the United Arab Emirates", "Pakistan", "Bangladesh", "Nepal", "Sri Lanka", "Ethiopia",
    "Ghana", "Tanzania", "Hungary", "the Czech Republic", "Romania", "Croatia", "Qatar",
    "Venezuela", "Bolivia", "Ecuador", "Mongolia", "Cambodia", "Estonia", "Serbia", "Bulgaria",
    "Cyprus", "Malta", "Luxembourg", "Jamaica", "Costa Rica", "Panama", "Uruguay",
    "the United States", "the United Kingdom", "Taiwan", "Scotland", "Turkey",
)
CITIES = (
    "Paris", "London", "Rome", "Barcelona", "Madrid", "Lisbon", "Berlin", "Munich", "Amsterdam",
    "Prague", "Vienna", "Budapest", "Copenhagen", "Stockholm", "Oslo", "Helsinki", "Dublin",
    "Edinburgh", "Athens", "Istanbul", "Dubai", "Tokyo", "Kyoto", "Osaka", "Seoul", "Beijing",
    "Shanghai", "Hong Kong", "Singapore", "Bangkok", "Hanoi", "Bali", "Sydney", "Melbourne",
    "Auckland", "New York", "Los Angeles", "San Francisco", "Chicago", "Boston", "Miami",
    "Seattle", "Las Vegas", "New Orleans", "Washington, D.C.", "Toronto", "Vancouver",
    "Montreal", "Mexico City", "Cancun", "Havana", "Rio de Janeiro", "Buenos Aires", "Lima",
    "Cusco", "Bogota", "Cape Town", "Marrakech", "Cairo", "Nairobi", "Mumbai", "Delhi",
    "Bangalore", "Jaipur", "Goa", "Kathmandu", "Florence", "Venice", "Milan", "Naples", "Seville",
    "Porto", "Nice", "Lyon", "Zurich", "Geneva", "Brussels", "Krakow", "Reykjavik", "Tallinn",
    "Dubrovnik", "Split", "Santorini", "Tel Aviv", "Doha", "Kuala Lumpur", "Taipei",
    "Ho Chi Minh City", "Manila", "Honolulu", "Austin", "Nashville", "Denver", "Quebec City",
)
US_STATES = (
    "California", "Texas", "New York", "Florida", "Illinois", "Washington", "Massachusetts",
    "Ohio", "Georgia", "Colorado", "Oregon", "Arizona", "Nevada", "Michigan", "Pennsylvania",
    "New Jersey", "Virginia", "North Carolina", "Minnesota", "Tennessee", "Utah", "Wisconsin",
    "Maryland", "Louisiana",
)
DEMONYMS = (
    "Indian", "American", "Chinese", "Japanese", "German", "French", "British", "Canadian",
    "Australian", "Brazilian", "Mexican", "Russian", "Italian", "Spanish", "South Korean",
    "Nigerian", "Pakistani", "Turkish", "Egyptian", "Swedish", "Dutch", "Irish", "Greek", "Polish",
    "Vietnamese", "Thai", "Filipino", "Indonesian", "Argentinian", "Kenyan", "South African",
    "Israeli", "Iranian", "Ukrainian", "Colombian", "Bangladeshi", "Nepali", "Moroccan", "Saudi",
    "Portuguese", "Swiss", "Austrian", "Belgian", "Danish", "Norwegian", "Finnish",
)
#: plural nationality nouns, matched only in Quora text
DEMONYMS_PL = (
    "Indians", "Americans", "Canadians", "Australians", "Brazilians", "Mexicans", "Russians",
    "Italians", "Germans", "Nigerians", "Pakistanis", "Egyptians", "Iranians", "Israelis",
    "Ukrainians", "Kenyans", "Bangladeshis", "Filipinos", "Indonesians", "Koreans", "Greeks",
    "Swedes", "Thais", "Argentinians", "Colombians", "Nepalis",
)
PEOPLE_HIST = (
    "Albert Einstein", "Isaac Newton", "Marie Curie", "Charles Darwin", "Nikola Tesla",
    "Thomas Edison", "Leonardo da Vinci", "Napoleon Bonaparte", "Abraham Lincoln",
    "George Washington", "Winston Churchill", "Mahatma Gandhi", "Nelson Mandela",
    "Martin Luther King Jr.", "Cleopatra", "Julius Caesar", "Alexander the Great", "Genghis Khan",
    "Queen Victoria", "William Shakespeare", "Jane Austen", "Charles Dickens", "Mark Twain",
    "Ernest Hemingway", "Leo Tolstoy", "Pablo Picasso", "Vincent van Gogh", "Frida Kahlo",
    "Ludwig van Beethoven", "Wolfgang Amadeus Mozart", "Johann Sebastian Bach", "Galileo Galilei",
    "Ada Lovelace", "Alan Turing", "Steve Jobs", "Karl Marx", "Sigmund Freud", "Aristotle", "Plato",
    "Socrates", "Confucius", "Rosa Parks", "Amelia Earhart", "Neil Armstrong", "Stephen Hawking",
    "Richard Feynman", "Frederick Douglass", "Harriet Tubman", "Joan of Arc", "Catherine the Great",
    "Elvis Presley", "Michael Jackson", "Jawaharlal Nehru", "Simon Bolivar", "Florence Nightingale",
)
PEOPLE_LIVING = (
    "Elon Musk", "Bill Gates", "Jeff Bezos", "Mark Zuckerberg", "Warren Buffett", "Oprah Winfrey",
    "Barack Obama", "Donald Trump", "Joe Biden", "Hillary Clinton", "Narendra Modi",
    "Vladimir Putin", "Angela Merkel", "Taylor Swift", "Beyonce", "Sundar Pichai", "Tim Cook",
    "Satya Nadella", "Rahul Gandhi", "Arvind Kejriwal", "Bernie Sanders", "Emmanuel Macron",
    "Justin Trudeau", "Xi Jinping", "Shah Rukh Khan", "Virat Kohli", "Lionel Messi",
    "Cristiano Ronaldo", "Serena Williams", "LeBron James", "Kanye West", "Jensen Huang",
)
#: short names, matched only in Quora text
SURNAMES = (
    "Trump", "Obama", "Hillary", "Modi", "Putin", "Merkel", "Biden", "Einstein", "Newton",
    "Lincoln", "Shakespeare", "Napoleon", "Churchill", "Mandela", "Musk", "Zuckerberg", "Buffett",
    "Federer", "Nadal", "Messi", "Ronaldo", "Kejriwal", "Nehru", "Sanders", "Macron", "Trudeau",
)
UNIVERSITIES = (
    "Harvard", "Stanford", "MIT", "Oxford", "Yale", "Princeton", "Caltech", "IIT Bombay",
    "IIT Delhi", "IIT Madras", "IIM Ahmedabad", "BITS Pilani", "UC Berkeley", "Columbia",
    "Carnegie Mellon", "NYU", "UCLA", "Georgia Tech", "Cornell", "ETH Zurich", "NUS",
)
EXAMS = ("GATE", "CAT", "GRE", "GMAT", "SAT", "ACT", "IELTS", "TOEFL", "JEE", "UPSC", "NEET",
         "LSAT", "MCAT", "CFA", "USMLE", "AWS Solutions Architect")
JOBS = (
    "software engineer", "nurse", "marketing manager", "data analyst", "teacher", "accountant",
    "graphic designer", "barista", "product manager", "sales associate", "UX designer",
    "project manager", "mechanical engineer", "pharmacist", "paralegal", "data scientist",
    "customer service representative", "electrician", "chef", "pilot", "dentist", "architect",
    "civil engineer", "financial analyst", "social worker", "web developer", "lawyer",
    "physical therapist", "veterinarian", "flight attendant",
)
HUMAN_LANGS = (
    "Spanish", "French", "German", "Italian", "Portuguese", "Japanese", "Korean", "Mandarin",
    "Arabic", "Russian", "Hindi", "Turkish", "Dutch", "Swedish", "Greek", "Polish", "Vietnamese",
    "Thai", "Hebrew", "Indonesian", "Swahili", "Norwegian", "Danish", "Finnish", "Czech",
    "Ukrainian", "Tagalog", "Bengali", "Persian", "Urdu", "Cantonese", "Latin", "Hungarian",
    "Romanian",
)
DRUGS = (
    "ibuprofen", "paracetamol", "aspirin", "amoxicillin", "metformin", "lisinopril",
    "atorvastatin", "omeprazole", "sertraline", "fluoxetine", "levothyroxine", "amlodipine",
    "prednisone", "gabapentin", "cetirizine", "loratadine", "diphenhydramine", "naproxen",
    "azithromycin", "doxycycline", "ciprofloxacin", "metoprolol", "losartan", "warfarin",
    "clopidogrel", "albuterol", "montelukast", "tramadol", "codeine", "pantoprazole", "famotidine",
    "furosemide", "simvastatin", "bupropion", "venlafaxine", "trazodone", "alprazolam",
    "lorazepam", "zolpidem", "methotrexate", "allopurinol", "tamsulosin", "finasteride",
    "sildenafil", "spironolactone", "ondansetron", "loperamide", "pseudoephedrine",
)
SUPPLEMENTS = (
    "vitamin D", "vitamin C", "magnesium", "zinc", "iron supplements", "fish oil", "creatine",
    "collagen", "probiotics", "ashwagandha", "vitamin B12", "calcium", "folic acid", "biotin",
    "melatonin", "turmeric", "glucosamine", "CoQ10", "electrolyte tablets", "protein powder",
)
CONDITIONS = (
    "diabetes", "high blood pressure", "asthma", "migraines", "anemia", "arthritis", "eczema",
    "psoriasis", "acid reflux", "insomnia", "depression", "anxiety", "IBS", "celiac disease",
    "gout", "hypothyroidism", "sleep apnea", "shingles", "pneumonia", "bronchitis", "kidney stones",
    "gallstones", "plantar fasciitis", "tendinitis", "carpal tunnel syndrome", "vertigo",
    "Lyme disease", "chickenpox", "a UTI", "pink eye", "acne", "rosacea", "lactose intolerance",
    "high cholesterol", "osteoporosis", "scoliosis", "ADHD", "tinnitus", "sciatica", "a hernia",
)
ACUTE_CONDS = (
    "the flu", "a cold", "strep throat", "COVID-19", "shingles", "mono", "a sinus infection",
    "pink eye", "a stomach bug", "bronchitis", "a sprained ankle", "a concussion", "food poisoning",
    "a broken wrist", "hand, foot and mouth disease", "a cold sore",
)
SYMPTOMS = (
    "a headache", "back pain", "a fever", "a sore throat", "a cough", "nausea", "dizziness",
    "fatigue", "chest pain", "joint pain", "a rash", "bloating", "muscle cramps",
    "shortness of breath", "a runny nose", "a toothache", "an earache", "neck pain", "knee pain",
    "stomach pain", "constipation", "diarrhea", "hiccups", "dry eyes", "hair loss", "night sweats",
    "heart palpitations", "numb fingers", "blurry vision", "ringing in my ears",
)
TRIGGERS = (
    "eating", "drinking coffee", "drinking alcohol", "waking up", "a long flight", "swimming",
    "lifting weights", "a hot shower", "standing up quickly", "a workout", "eating dairy",
    "drinking milk", "a massage", "sitting all day", "eating spicy food",
)
PROCEDURES = (
    "a flu shot", "a tooth extraction", "a colonoscopy", "knee surgery", "a root canal",
    "a COVID vaccine", "an MRI with contrast", "LASIK", "a tattoo", "wisdom tooth removal",
    "a blood donation", "a cortisone shot", "a vasectomy", "cataract surgery", "a C-section",
)
POST_ACTS = (
    "drive", "exercise", "shower", "drink alcohol", "fly", "eat solid food", "go back to work",
    "swim", "lift heavy things", "sleep on my side", "wear contact lenses", "have coffee",
)
EXERCISES = (
    "running", "swimming", "cycling", "walking", "jumping rope", "yoga", "rowing", "hiking",
    "dancing", "weightlifting", "HIIT", "pilates", "boxing", "stair climbing", "tennis",
    "elliptical training", "rock climbing", "spinning",
)
EX_MOVES = (
    "deadlift", "squat", "bench press", "pull-up", "lunge", "plank", "push-up", "overhead press",
    "hip thrust", "bicep curl", "burpee", "kettlebell swing", "dip", "bent-over row",
    "Bulgarian split squat", "calf raise", "face pull", "leg press",
)
BIOMARKERS = (
    "cholesterol", "blood pressure", "blood sugar", "triglycerides", "resting heart rate",
    "cortisol levels", "uric acid levels", "LDL cholesterol", "inflammation", "A1C",
)
NUTRIENTS = (
    "protein", "calcium", "iron", "vitamin D", "fiber", "water", "magnesium", "potassium",
    "vitamin B12", "folate", "omega-3", "vitamin C", "zinc", "vitamin A", "iodine",
)
#: populations whose needs differ (scope: "for kids" vs "for adults")
PEOPLE_GROUPS = (
    "adult men", "adult women", "pregnant women", "toddlers", "teenagers", "adults over 70",
    "breastfeeding women", "school-age kids", "endurance athletes", "infants",
)
AGE_GROUPS = ("adults", "children", "teenagers", "adults over 65", "toddlers")
SLEEP_AGES = ("1", "4", "9", "16", "30")
EMERGENCIES = (
    "choking", "having a seizure", "having a heart attack", "having a stroke",
    "having an allergic reaction", "bleeding heavily", "having a panic attack", "fainting",
    "having an asthma attack", "getting heatstroke", "drowning", "having hypothermia",
)
VITALS = (
    "resting heart rate", "blood pressure", "fasting blood sugar level", "body temperature",
    "oxygen saturation", "cholesterol level", "respiratory rate", "BMI",
)
BODY_GOALS = (
    "lower back pain", "bad knees", "a stronger core", "better posture", "weak ankles",
    "tight hips", "shoulder pain", "neck pain", "flat feet", "better balance",
)
FOODS = (
    "chicken breast", "salmon", "white rice", "quinoa", "oats", "eggs", "tofu", "lentils",
    "chickpeas", "broccoli", "spinach", "kale", "sweet potatoes", "avocado", "almonds",
    "peanut butter", "Greek yogurt", "cottage cheese", "bananas", "apples", "blueberries",
    "strawberries", "ground beef", "pork chops", "shrimp", "cod", "tuna", "pasta", "bread",
    "potatoes", "cauliflower", "mushrooms", "bell peppers", "carrots", "zucchini", "eggplant",
    "cabbage", "brown rice", "black beans", "cheddar cheese", "dark chocolate", "honey",
    "steak", "turkey breast", "corn", "green beans", "asparagus", "beets", "mango", "watermelon",
)
DISHES = (
    "lasagna", "risotto", "pad thai", "chicken curry", "beef stew", "banana bread",
    "sourdough bread", "pancakes", "waffles", "chocolate chip cookies", "brownies", "cheesecake",
    "tiramisu", "apple pie", "spaghetti carbonara", "guacamole", "hummus", "falafel", "ramen",
    "pho", "fried rice", "chili con carne", "shakshuka", "paella", "quiche", "French onion soup",
    "minestrone", "butter chicken", "biryani", "lentil soup", "mac and cheese", "meatballs",
    "pizza dough", "focaccia", "crepes", "Spanish tortilla", "granola", "pesto", "bolognese sauce",
    "chicken noodle soup", "gnocchi", "dumplings", "spring rolls", "kimchi", "tzatziki",
    "ratatouille", "empanadas", "churros", "scones", "cinnamon rolls", "pulled pork",
    "roast chicken", "tacos al pastor", "fish and chips", "gazpacho", "moussaka", "pierogi",
)
BAKED = (
    "cakes", "cookies", "pancakes", "bread", "brownies", "muffins", "banana bread", "cheesecake",
    "meatballs", "scones", "waffles", "pie crust", "cupcakes", "pizza dough", "cornbread",
    "gingerbread", "shortbread",
)
INGREDIENTS = (
    "eggs", "butter", "milk", "buttermilk", "sour cream", "heavy cream", "flour", "sugar",
    "baking powder", "baking soda", "yeast", "cornstarch", "breadcrumbs", "honey",
    "vanilla extract", "white wine", "soy sauce", "fish sauce", "parmesan", "cream cheese",
    "mayonnaise", "lemon juice", "brown sugar", "vegetable oil", "cocoa powder",
)
DRY_INGS = ("flour", "sugar", "brown sugar", "rice", "rolled oats", "butter", "powdered sugar",
            "cocoa powder", "almond flour", "grated parmesan", "chocolate chips", "cornmeal")
HERBS = ("basil", "cilantro", "parsley", "mint", "rosemary", "thyme", "dill", "chives", "sage",
         "oregano", "tarragon", "lemongrass")
FRUITS = ("an avocado", "a mango", "a pineapple", "a watermelon", "a cantaloupe", "a papaya",
          "a pear", "a peach", "a kiwi", "a persimmon", "a plum", "a honeydew melon", "a fig")
LEFTOVERS = (
    "cooked rice", "cooked chicken", "pizza", "pasta salad", "hard-boiled eggs", "sushi",
    "cooked beans", "soup", "cooked salmon", "potato salad", "cut fruit", "chili",
    "mashed potatoes", "cooked shrimp", "homemade salsa", "cooked ground beef",
)
STORAGE = ("the fridge", "the freezer", "the pantry", "a vacuum-sealed bag")
GRAINS = ("white rice", "quinoa", "brown rice", "steel-cut oats", "barley", "farro", "millet",
          "wild rice", "bulgur", "jasmine rice", "arborio rice")
COOKERS = ("a rice cooker", "an Instant Pot", "the microwave", "a pot on the stove", "the oven",
           "a slow cooker")
FREEZABLE = (
    "cooked rice", "milk", "eggs", "cheese", "bread", "bananas", "avocados", "cooked pasta",
    "soup", "cream cheese", "fresh herbs", "tofu", "cake", "cookie dough", "mashed potatoes",
    "cooked chicken", "tortillas", "butter", "yogurt", "lettuce",
)
PANS = ("cast iron skillet", "carbon steel wok", "carbon steel pan", "stainless steel pan",
        "Dutch oven", "nonstick pan", "wooden cutting board", "copper pot")
COOK_METHODS = ("bake", "roast", "boil", "grill", "steam", "air-fry", "pan-fry", "poach",
                "slow-cook", "pressure-cook", "deep-fry", "broil", "smoke", "sous-vide")
DIETS = ("vegan", "gluten-free", "dairy-free", "keto", "low-carb", "low-sodium", "nut-free",
         "paleo", "low-FODMAP", "vegetarian", "halal", "kosher")
MEALS = ("breakfast", "lunch", "dinner", "a potluck", "meal prep", "a picnic", "a dinner party",
         "a kid's lunchbox", "a road trip", "a camping trip")
BAKE_FAILS = ("dense", "dry", "flat", "gummy", "burnt on the bottom", "too crumbly",
              "raw in the middle", "sunken in the middle", "greasy", "tough")
EQUIPMENT = ("an oven", "a stand mixer", "a blender", "a food processor", "a rice cooker",
             "a thermometer", "a rolling pin", "a microwave", "eggs", "butter", "sugar")
AIRLINES = (
    "Ryanair", "easyJet", "British Airways", "Lufthansa", "Air France", "KLM", "Emirates",
    "Qatar Airways", "Delta", "United", "American Airlines", "Southwest", "JetBlue",
    "Air Canada", "Qantas", "Singapore Airlines", "Turkish Airlines", "IndiGo", "Air India",
    "Spirit", "Wizz Air", "Vueling", "Cathay Pacific", "ANA",
)
LANDMARKS = (
    "the Louvre", "the Eiffel Tower", "the Colosseum", "the Vatican Museums", "the British Museum",
    "the Sagrada Familia", "the Acropolis", "the Uffizi Gallery", "the Rijksmuseum",
    "the Prado Museum", "the Metropolitan Museum of Art", "the Alhambra", "Neuschwanstein Castle",
    "the Tower of London", "the Van Gogh Museum", "the Anne Frank House", "Versailles",
    "the Guggenheim Bilbao", "the Natural History Museum", "the Empire State Building",
)
AIRPORT_PAIRS = (
    ("JFK", "Manhattan"), ("Heathrow", "central London"), ("Charles de Gaulle", "central Paris"),
    ("Narita", "Shinjuku"), ("Fiumicino", "Rome's city center"), ("Schiphol", "Amsterdam Centraal"),
    ("Barcelona airport", "Las Ramblas"), ("LAX", "Santa Monica"), ("O'Hare", "downtown Chicago"),
    ("Dublin Airport", "Temple Bar"), ("Incheon", "Myeongdong"), ("Changi", "Marina Bay"),
    ("Logan Airport", "downtown Boston"), ("Gatwick", "Victoria Station"),
)
CARRY_ITEMS = (
    "a power bank", "a razor", "a laptop", "a pocket knife", "scissors", "a lighter",
    "homemade food", "prescription medication", "a hair straightener", "a tripod",
    "knitting needles", "a camping stove", "an e-cigarette", "a bottle of wine", "baby formula",
)
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "INR", "CAD", "AUD", "CHF", "CNY", "MXN", "BRL", "KRW",
              "SGD", "ZAR", "SEK", "NZD", "TRY", "HKD", "NOK", "PLN")
FIN_CONCEPTS = (
    "inflation", "compound interest", "a Roth IRA", "an index fund", "an ETF", "a mutual fund",
    "a stock split", "a dividend", "a bond", "a credit score", "APR", "a home equity loan",
    "dollar-cost averaging", "a hedge fund", "short selling", "a bear market", "a bull market",
    "capital gains tax", "an emergency fund", "net worth", "liquidity", "market capitalization",
    "a recession", "quantitative easing", "an escrow account", "a balance transfer",
    "a certificate of deposit", "a high-yield savings account", "an annuity", "a stop-loss order",
    "a limit order", "a P/E ratio", "amortization", "diversification", "a tax deduction",
    "a tax credit", "a 529 plan", "an HSA", "a margin call", "an options contract",
)
FIN_PRODUCTS = (
    "an index fund", "an ETF", "a mutual fund", "a bond", "a CD", "a money market account",
    "a high-yield savings account", "a Roth IRA", "a traditional IRA", "a 401(k)", "an HSA",
    "an annuity", "a REIT", "a target-date fund",
)
LOANS = ("a fixed-rate mortgage", "an adjustable-rate mortgage", "a personal loan",
         "a home equity loan", "a HELOC", "an auto loan", "a payday loan", "a student loan")
ACCOUNTS = ("my checking account", "my savings account", "PayPal", "Venmo",
            "my brokerage account", "my credit card", "a Wise account", "Cash App")
INCOME_TYPES = ("capital gains", "dividends", "rental income", "freelance income",
                "cryptocurrency gains", "an inheritance", "lottery winnings", "stock options",
                "tips", "a signing bonus", "interest from a savings account")
RETIRE_ACCTS = ("Roth IRA", "401(k)", "HSA", "SEP IRA", "SIMPLE IRA", "529 plan")
ASSETS = ("gold", "bitcoin", "real estate", "bonds", "Tesla stock", "an S&P 500 index fund",
          "silver", "Nvidia stock", "ethereum", "a rental property", "Treasury bills")
BUDGET_USERS = ("couples", "college students", "freelancers", "families", "retirees",
                "small business owners")
LEGAL_CONCEPTS = (
    "a power of attorney", "a living will", "probate", "a non-compete agreement", "an NDA",
    "small claims court", "a prenuptial agreement", "common-law marriage", "copyright",
    "a trademark", "a patent", "fair use", "defamation", "a class action lawsuit",
    "a statute of limitations", "an LLC", "a sole proprietorship", "an S corporation",
    "a restraining order", "a subpoena", "an affidavit", "a notary public", "an easement",
    "adverse possession", "a lien", "eminent domain", "at-will employment",
    "wrongful termination", "a plea bargain", "bail", "parole", "probation", "habeas corpus",
    "double jeopardy", "a misdemeanor", "a felony", "a trust", "joint custody", "alimony",
    "child support",
)
LEGAL_PAIRS = (
    ("a will", "a trust"), ("a misdemeanor", "a felony"), ("parole", "probation"),
    ("a patent", "a trademark"), ("an LLC", "a sole proprietorship"), ("mediation", "arbitration"),
    ("libel", "slander"), ("a lawyer", "a paralegal"), ("theft", "robbery"),
    ("manslaughter", "murder"), ("an employee", "an independent contractor"),
    ("a lease", "a rental agreement"), ("civil law", "criminal law"),
    ("a power of attorney", "a guardianship"), ("divorce", "legal separation"),
)
#: coupled legal roles for who-does-what-to-whom questions (swapping the two is a direction edit)
ROLE_PAIRS = (
    ("landlord", "tenant"), ("employer", "employee"), ("buyer", "seller"), ("doctor", "patient"),
    ("contractor", "homeowner"), ("franchisor", "franchisee"), ("school", "student"),
    ("hospital", "nurse"), ("lender", "borrower"), ("publisher", "author"),
)
CLAIMS = ("defamation", "breach of contract", "property damage", "emotional distress",
          "unpaid fees", "negligence", "harassment", "fraud")
LEGAL_TASKS = ("file for divorce", "write a will", "start an LLC", "file a small claims case",
               "change my name", "evict a tenant", "register a trademark",
               "fight a speeding ticket", "close on a house", "adopt a child",
               "set up a trust", "contest a will")
LEGAL_PROCS = ("file for divorce", "form an LLC", "get a restraining order", "contest a will",
               "file a small claims lawsuit", "change my name legally", "expunge a record",
               "apply for a business license", "become a notary", "evict a tenant",
               "get full custody", "file a mechanic's lien")
#: coupled (base form, gerund) activities for legality questions
ACTS = (
    ("drive barefoot", "driving barefoot"), ("own a pet fox", "owning a pet fox"),
    ("record a phone call without consent", "recording a phone call without consent"),
    ("carry pepper spray", "carrying pepper spray"), ("collect rainwater", "collecting rainwater"),
    ("drink alcohol in public", "drinking alcohol in public"),
    ("ride a bike without a helmet", "riding a bike without a helmet"),
    ("grow cannabis at home", "growing cannabis at home"), ("use a VPN", "using a VPN"),
    ("sell homemade food", "selling homemade food"), ("fly a drone", "flying a drone"),
    ("keep chickens in the backyard", "keeping chickens in the backyard"),
    ("sleep in my car", "sleeping in my car"), ("own a crossbow", "owning a crossbow"),
    ("dumpster dive", "dumpster diving"), ("busk on the street", "busking on the street"),
)
JURISDICTIONS = (*US_STATES, "the UK", "Canada", "Australia", "Germany", "France", "Japan",
                 "India", "Singapore", "Ireland", "New Zealand")
SITUATIONS = ("pulled over by the police", "arrested", "being evicted", "injured at work",
              "laid off", "fired without cause", "questioned by police", "stopped at the border",
              "sued for debt", "in a car accident", "denied a rental because of my credit")
EMP_ACTIONS = ("read my work emails", "fire me for being sick", "cut my pay",
               "make me work overtime", "track my location", "deny my vacation request",
               "ask about my medical history", "require a drug test",
               "make me sign a non-compete", "change my schedule at the last minute")
FIRE_REASONS = ("being pregnant", "posting on social media", "discussing my salary",
                "refusing overtime", "being sick", "my political views", "filing a complaint",
                "my tattoos", "taking parental leave", "joining a union")
OFFENSES = ("personal injury", "medical malpractice", "breach of contract", "defamation", "theft",
            "fraud", "property damage", "debt collection", "wrongful death", "assault")
COMPLAINT_TARGETS = ("a landlord", "an employer", "a doctor", "a lawyer", "a police officer",
                     "a contractor", "a debt collector", "an airline", "a school", "a bank")
#: coupled (singular, plural) pets
PETS = (("dog", "dogs"), ("cat", "cats"), ("rabbit", "rabbits"), ("hamster", "hamsters"),
        ("guinea pig", "guinea pigs"), ("parrot", "parrots"), ("ferret", "ferrets"),
        ("horse", "horses"), ("chicken", "chickens"), ("bearded dragon", "bearded dragons"),
        ("goat", "goats"), ("pig", "pigs"), ("budgie", "budgies"), ("tortoise", "tortoises"))
PET_KINDS = ("dog", "cat", "rabbit", "ferret", "guinea pig", "parrot", "hamster", "horse")
VACC_PETS = ("dog", "cat", "ferret", "rabbit", "horse", "puppy", "kitten")
BREEDS = (
    "Labrador Retriever", "German Shepherd", "Golden Retriever", "French Bulldog",
    "English Bulldog", "Poodle", "Beagle", "Rottweiler", "Dachshund", "Siberian Husky", "Boxer",
    "Great Dane", "Chihuahua", "Shih Tzu", "Border Collie", "Pomeranian", "Doberman",
    "Corgi", "Yorkshire Terrier", "Cocker Spaniel", "Australian Shepherd", "Pug",
    "Bernese Mountain Dog", "Maltese", "Shiba Inu", "Akita", "Dalmatian", "Greyhound", "Whippet",
    "Saint Bernard", "Jack Russell Terrier", "Cavalier King Charles Spaniel",
)
PET_FOODS = (
    "chocolate", "grapes", "onions", "garlic", "avocado", "peanut butter", "cheese", "bananas",
    "apples", "carrots", "strawberries", "watermelon", "blueberries", "cooked chicken",
    "raw eggs", "rice", "bread", "popcorn", "tuna", "milk", "mango", "pineapple", "cucumber",
    "tomatoes", "pumpkin", "broccoli", "spinach", "salmon", "shrimp", "almonds", "cashews",
    "oranges", "celery", "sweet potatoes", "ham", "bacon", "yogurt", "honey", "coconut",
)
TOXICS = ("chocolate", "grapes", "xylitol gum", "onions", "a sock", "ibuprofen", "rat poison",
          "a chicken bone", "lily leaves", "raisins", "a battery", "macadamia nuts", "cat food",
          "a hair tie", "antifreeze", "coffee grounds")
REPTILES = ("bearded dragon", "leopard gecko", "ball python", "corn snake", "red-eared slider",
            "crested gecko", "chameleon", "blue-tongued skink", "tortoise")
TRICKS = ("sit", "stay", "come when called", "walk on a loose leash", "stop biting",
          "stop jumping on people", "roll over", "play dead", "drop it", "leave it",
          "stop pulling on the leash", "ring a bell to go outside", "fetch")
CARE_TASKS = ("bathe", "brush", "walk", "deworm", "weigh", "groom", "vaccinate", "feed")
DOG_ACTS = ("bark at strangers", "wag its tail", "finish its food", "come when called",
            "play with other dogs", "sleep through the night", "chew on furniture",
            "pull on the leash", "beg at the table", "howl when I leave")
CAT_ACTS = ("knead blankets", "bring me dead mice", "scratch the sofa", "sleep on my chest",
            "knock things off tables", "meow at night", "drink from the tap", "chew plants")
OWNER_TYPES = ("families with kids", "first-time owners", "apartment living", "seniors",
               "people with allergies", "runners", "people who work long hours",
               "hot climates", "cold climates")
PET_A = ("dog", "cat", "rabbit", "ferret", "parrot", "guinea pig")
SPORTS = (
    "soccer", "basketball", "tennis", "golf", "baseball", "cricket", "rugby", "volleyball",
    "badminton", "table tennis", "ice hockey", "skiing", "snowboarding", "surfing",
    "rock climbing", "rowing", "fencing", "handball", "water polo", "curling", "chess",
    "gymnastics", "archery", "judo", "lacrosse", "softball", "pickleball", "squash",
    "American football", "darts", "snooker", "bowling",
)
TEAM_SPORTS = ("soccer", "basketball", "baseball", "volleyball", "ice hockey", "rugby union",
               "cricket", "water polo", "American football", "lacrosse", "field hockey",
               "netball", "Australian rules football", "rugby league", "futsal", "beach volleyball")
TEAMS = (
    "Real Madrid", "FC Barcelona", "Manchester United", "Liverpool", "Chelsea", "Arsenal",
    "Bayern Munich", "Juventus", "AC Milan", "Inter Milan", "Paris Saint-Germain",
    "Borussia Dortmund", "Ajax", "Manchester City", "Tottenham", "the Los Angeles Lakers",
    "the Golden State Warriors", "the Boston Celtics", "the Chicago Bulls", "the Miami Heat",
    "the New York Yankees", "the Boston Red Sox", "the Los Angeles Dodgers", "the Chicago Cubs",
    "the New England Patriots", "the Dallas Cowboys", "the Green Bay Packers",
    "the Kansas City Chiefs", "the Pittsburgh Steelers", "the Toronto Maple Leafs",
    "the Montreal Canadiens", "the New York Knicks", "Atletico Madrid", "Celtic", "Benfica",
)
ANNUAL_EVENTS = (
    "the Super Bowl", "the NBA Finals", "the World Series", "the Champions League",
    "Wimbledon", "the Tour de France", "the Stanley Cup", "the Masters", "the Australian Open",
    "the French Open", "the Ballon d'Or", "the Kentucky Derby", "the Boston Marathon",
    "the Eurovision Song Contest", "the Oscar for Best Picture", "the Nobel Prize in Physics",
    "the Premier League", "La Liga", "the Indy 500", "the US Open",
)
WC_YEARS = ("1930", "1934", "1938", "1950", "1954", "1958", "1962", "1966", "1970", "1974",
            "1978", "1982", "1986", "1990", "1994", "1998", "2002", "2006", "2010", "2014",
            "2018", "2022")
FOOTBALLERS = ("Lionel Messi", "Cristiano Ronaldo", "Pele", "Diego Maradona", "Kylian Mbappe",
               "Zinedine Zidane", "Johan Cruyff", "Erling Haaland", "Neymar", "Ronaldinho",
               "Thierry Henry", "Franz Beckenbauer")
BASKETBALLERS = ("Michael Jordan", "LeBron James", "Kobe Bryant", "Stephen Curry",
                 "Magic Johnson", "Kareem Abdul-Jabbar", "Shaquille O'Neal", "Larry Bird",
                 "Kevin Durant", "Tim Duncan", "Wilt Chamberlain", "Bill Russell")
TENNIS_PLAYERS = ("Roger Federer", "Rafael Nadal", "Novak Djokovic", "Pete Sampras",
                  "Andre Agassi", "Bjorn Borg", "Serena Williams", "Steffi Graf",
                  "Andy Murray", "Carlos Alcaraz", "Martina Navratilova", "John McEnroe")
SKILLS = ("golf swing", "tennis serve", "free throw", "jump shot", "backhand", "putting",
          "sprint speed", "marathon time", "bench press", "freestyle stroke", "vertical jump",
          "chess openings", "ball control", "batting average", "rock climbing grip strength")
RACE_DISTS = ("5K", "10K", "half marathon", "marathon", "mile", "50K ultramarathon")
RUNNER_LEVELS = ("beginner", "intermediate runner", "experienced runner", "masters runner over 50")
DIST_M = ("100", "200", "400", "800", "1500", "5000", "10000")
SEX_ADJ = ("men's", "women's")
PLANETS = ("Mercury", "Venus", "Earth", "Mars", "Jupiter", "Saturn", "Uranus", "Neptune", "Pluto")
PLANET_MOONS = ("Mercury", "Earth", "Mars", "Jupiter", "Saturn", "Uranus", "Neptune", "Pluto")
ELEMENTS = (
    "hydrogen", "helium", "lithium", "carbon", "nitrogen", "oxygen", "fluorine", "neon", "sodium",
    "magnesium", "aluminum", "silicon", "phosphorus", "sulfur", "chlorine", "argon", "potassium",
    "calcium", "titanium", "iron", "nickel", "copper", "zinc", "silver", "tin", "iodine",
    "platinum", "gold", "mercury", "lead", "uranium", "tungsten", "cobalt", "bromine",
)
COMPOUNDS = ("table salt", "baking soda", "glucose", "ethanol", "methane", "ammonia",
             "sulfuric acid", "acetic acid", "caffeine", "rust", "quartz", "chalk",
             "hydrogen peroxide", "bleach", "carbon dioxide", "ozone", "sucrose", "limestone")
ISOTOPES = ("carbon-14", "uranium-235", "uranium-238", "iodine-131", "cesium-137",
            "plutonium-239", "tritium", "radon-222", "potassium-40", "cobalt-60", "strontium-90")
ORGANS = ("the heart", "the liver", "the kidney", "the pancreas", "the thyroid gland",
          "the spleen", "the small intestine", "the brain", "the eye", "the inner ear",
          "the skin", "the gallbladder", "the appendix", "the bladder", "the stomach",
          "the cerebellum")
ANIMALS_PL = (
    "elephants", "lions", "tigers", "giraffes", "dolphins", "octopuses", "penguins", "owls",
    "eagles", "sharks", "whales", "bees", "ants", "crocodiles", "kangaroos", "koalas", "pandas",
    "cheetahs", "wolves", "foxes", "bears", "hippos", "zebras", "gorillas", "chimpanzees",
    "sloths", "camels", "flamingos", "parrots", "hummingbirds", "butterflies", "spiders",
    "salmon", "squirrels", "deer", "moose", "rhinos", "hedgehogs", "otters", "beavers",
    "raccoons", "platypuses", "axolotls", "jellyfish", "sea turtles", "bats", "frogs", "snails",
)
MEDIA = ("water", "air", "glass", "steel", "a vacuum", "wood", "helium", "seawater", "ice")
WAVES = ("sound", "light")
SCI_CONCEPTS = (
    "photosynthesis", "quantum entanglement", "a black hole", "entropy", "natural selection",
    "plate tectonics", "the greenhouse effect", "DNA replication", "the theory of relativity",
    "the Doppler effect", "osmosis", "mitosis", "meiosis", "the Big Bang", "dark matter",
    "CRISPR", "nuclear fusion", "nuclear fission", "superconductivity", "the Higgs boson",
    "string theory", "antibiotic resistance", "the water cycle", "the carbon cycle",
    "cellular respiration", "a neurotransmitter", "gravitational waves",
    "the photoelectric effect", "radioactive decay", "the Coriolis effect", "the placebo effect",
    "homeostasis", "an enzyme", "protein folding", "quantum tunneling",
    "the uncertainty principle", "a supernova", "a neutron star", "a light-year", "half-life",
    "pH", "inertia", "the ozone layer", "ocean acidification", "symbiosis", "epigenetics",
    "an mRNA vaccine", "the immune response", "a prion", "an exoplanet",
)
HYPOTHETICALS = (
    "the Moon disappeared", "the Earth stopped spinning", "all the bees died",
    "the Sun suddenly vanished", "humans stopped sleeping", "the oceans dried up",
    "Earth had two moons", "gravity were twice as strong", "the internet went down for a month",
    "everyone stopped using antibiotics", "the polar ice caps melted completely",
    "a large asteroid hit the Atlantic Ocean",
)
INVENTIONS = (
    "the telephone", "the light bulb", "the printing press", "the World Wide Web",
    "the airplane", "the steam engine", "the radio", "the computer mouse", "the telescope",
    "dynamite", "the cotton gin", "the sewing machine", "the jet engine", "the transistor",
    "the lithium-ion battery", "the QR code", "the ballpoint pen", "the microwave oven",
    "the zipper", "the periodic table", "the electric guitar", "the television",
    "the polio vaccine", "the Rubik's Cube",
)
DISCOVERIES = ("penicillin", "the structure of DNA", "radioactivity", "the electron",
               "the neutron", "oxygen", "insulin", "X-rays", "the planet Neptune", "Pluto",
               "electromagnetic induction", "the proton", "the Higgs boson", "vitamin C",
               "the circulation of blood", "Saturn's rings")
PAINTINGS = ("the Mona Lisa", "The Starry Night", "The Scream", "Guernica",
             "The Persistence of Memory", "Girl with a Pearl Earring", "The Birth of Venus",
             "The Night Watch", "American Gothic", "The Kiss", "Water Lilies",
             "The Great Wave off Kanagawa", "The Garden of Earthly Delights", "Las Meninas",
             "The School of Athens", "Liberty Leading the People", "Nighthawks",
             "The Arnolfini Portrait", "Impression, Sunrise")
BUILDINGS = ("the Great Pyramid of Giza", "Machu Picchu", "the Taj Mahal", "Stonehenge",
             "the Colosseum", "the Great Wall of China", "Angkor Wat", "Petra", "Chichen Itza",
             "the Eiffel Tower", "the Parthenon", "the Hagia Sophia", "the Forbidden City",
             "the Statue of Liberty", "Mont-Saint-Michel", "the Sydney Opera House")
FILMS = ("Inception", "The Godfather", "Pulp Fiction", "Titanic", "Jaws", "Parasite",
         "Spirited Away", "Casablanca", "The Matrix", "Gladiator", "Psycho", "Goodfellas",
         "Fight Club", "Amelie", "2001: A Space Odyssey", "The Shape of Water", "Get Out",
         "La La Land", "Lady Bird", "Seven Samurai", "Roma", "Mad Max: Fury Road",
         "The Grand Budapest Hotel", "Blade Runner", "Moonlight")
#: coupled (title, author); one book per author so no two titles share an answer
BOOKS = (
    ("1984", "George Orwell"), ("Pride and Prejudice", "Jane Austen"),
    ("To Kill a Mockingbird", "Harper Lee"), ("The Great Gatsby", "F. Scott Fitzgerald"),
    ("Moby-Dick", "Herman Melville"), ("War and Peace", "Leo Tolstoy"),
    ("Crime and Punishment", "Fyodor Dostoevsky"),
    ("One Hundred Years of Solitude", "Gabriel Garcia Marquez"),
    ("The Catcher in the Rye", "J. D. Salinger"), ("Brave New World", "Aldous Huxley"),
    ("The Hobbit", "J. R. R. Tolkien"), ("Beloved", "Toni Morrison"),
    ("Frankenstein", "Mary Shelley"), ("Jane Eyre", "Charlotte Bronte"),
    ("Wuthering Heights", "Emily Bronte"), ("The Road", "Cormac McCarthy"),
    ("Sapiens", "Yuval Noah Harari"), ("The Alchemist", "Paulo Coelho"),
    ("Dune", "Frank Herbert"), ("Things Fall Apart", "Chinua Achebe"),
    ("Fahrenheit 451", "Ray Bradbury"), ("The Handmaid's Tale", "Margaret Atwood"),
    ("Don Quixote", "Miguel de Cervantes"), ("The Old Man and the Sea", "Ernest Hemingway"),
    ("Great Expectations", "Charles Dickens"), ("Atomic Habits", "James Clear"),
    ("Thinking, Fast and Slow", "Daniel Kahneman"), ("The Kite Runner", "Khaled Hosseini"),
    ("Norwegian Wood", "Haruki Murakami"), ("Lord of the Flies", "William Golding"),
)
HIST_EVENTS = (
    "the French Revolution", "World War I", "World War II", "the Cold War",
    "the American Civil War", "the fall of the Roman Empire", "the Industrial Revolution",
    "the Renaissance", "the Protestant Reformation", "the Russian Revolution",
    "the Great Depression", "the fall of the Berlin Wall", "the Cuban Missile Crisis",
    "the Black Death", "the Hundred Years' War", "the Napoleonic Wars", "the Boston Tea Party",
    "the Norman Conquest", "the Crusades", "the Meiji Restoration", "the partition of India",
    "the Vietnam War", "the Korean War", "the Apollo 11 moon landing", "the Spanish flu pandemic",
    "the Opium Wars", "the American Revolution", "the Thirty Years' War", "the Wars of the Roses",
    "the fall of Constantinople", "the Chernobyl disaster", "the sinking of the Titanic",
    "the Irish Potato Famine", "the Spanish Civil War", "the California Gold Rush",
    "the Haitian Revolution", "the Taiping Rebellion", "the Glorious Revolution",
)
LONG_EVENTS = (
    "the French Revolution", "World War I", "World War II", "the Cold War",
    "the American Civil War", "the Industrial Revolution", "the Renaissance",
    "the Great Depression", "the Hundred Years' War", "the Napoleonic Wars", "the Crusades",
    "the Vietnam War", "the Korean War", "the Thirty Years' War", "the Spanish Civil War",
    "the Reconquista", "the Space Race", "the Ming dynasty", "the Edo period",
)
EMPIRES = (
    "the Roman Empire", "the Ottoman Empire", "the Mongol Empire", "the Byzantine Empire",
    "the British Empire", "the Aztec Empire", "the Inca Empire", "the Maya civilization",
    "ancient Egypt", "ancient Greece", "the Persian Empire", "the Han dynasty",
    "the Mughal Empire", "the Holy Roman Empire", "the Soviet Union", "the Qing dynasty",
    "the Austro-Hungarian Empire", "the Carolingian Empire", "the Mali Empire",
    "the Spanish Empire", "the Khmer Empire",
)
BATTLES = (
    "the Battle of Hastings", "the Battle of Waterloo", "the Battle of Gettysburg",
    "the Battle of Stalingrad", "the Battle of Midway", "the Battle of Trafalgar",
    "the Battle of Thermopylae", "the Battle of Agincourt", "the Battle of Verdun",
    "the Battle of the Bulge", "the Battle of Yorktown", "the Battle of Austerlitz",
    "the Battle of Tours", "the Battle of Marathon", "the Battle of Lepanto",
    "the Battle of Saratoga", "the Battle of Britain", "the Battle of Gallipoli",
)
HIST_DOCS = ("the Magna Carta", "the Treaty of Versailles", "the Declaration of Independence",
             "the Emancipation Proclamation", "the Peace of Westphalia", "the Rosetta Stone",
             "the 95 Theses", "the Code of Hammurabi", "the Edict of Nantes", "the Marshall Plan",
             "the Treaty of Tordesillas", "the Bill of Rights", "the Communist Manifesto",
             "the Geneva Conventions")
DECADES = ("1920s", "1930s", "1950s", "1960s", "1970s", "1980s", "1990s", "2000s", "2010s")
CENTURIES = ("the 12th century", "the 14th century", "the 15th century", "the 16th century",
             "the 17th century", "the 18th century", "the 19th century", "the early 20th century")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "tenth",
            "sixteenth", "twentieth", "twenty-sixth", "thirty-second", "fortieth")
YEARS = tuple(str(y) for y in range(1950, 2024))
RECENT_YEARS = tuple(str(y) for y in range(2015, 2026))
HIST_YEARS = ("1492", "1588", "1776", "1789", "1815", "1848", "1861", "1871", "1905", "1914",
              "1917", "1929", "1939", "1945", "1956", "1968", "1989", "1991")
EVENT_YEARS = tuple(str(y) for y in range(1985, 2024))
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
SEASONS = ("spring", "summer", "autumn", "winter")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
REL_DAYS_FUT = ("today", "tomorrow", "this weekend", "on Friday", "next week", "tonight")
PAST_PERIODS = ("yesterday", "last week", "last month", "last year", "in 2020", "in 2008",
                "in 2022", "in 2015", "in the 1990s")
#: coupled (verb, time phrase) so tense agrees with the time
ERAS = (("is", "now"), ("was", "in 1990"), ("was", "in 2005"), ("was", "in 1975"),
        ("was", "in 2012"), ("was", "in 1960"), ("was", "in 2018"))
SALARY_K = ("40k", "55k", "60k", "75k", "85k", "100k", "120k", "150k", "200k", "250k")
MONEY = ("$20", "$50", "$100", "$150", "$200", "$300", "$500", "$750", "$1,000", "$2,000",
         "$5,000", "$10,000", "$25,000", "$50,000", "€100", "€500", "£200", "£1,000")
PRICE_CAPS = ("$50", "$100", "$150", "$200", "$300", "$500", "$800", "$1,000", "$1,500",
              "$2,000", "€100", "€300", "£50", "£500")
MONEY_BIG = ("$150,000", "$200,000", "$250,000", "$300,000", "$400,000", "$500,000",
             "$750,000", "$1 million")
AMOUNTS = ("50", "100", "250", "500", "1,000", "2,500", "5,000", "10,000")
PCT = ("2%", "3%", "4%", "4.5%", "5%", "6%", "7%", "8%", "10%", "12%", "15%", "18%", "20%",
       "25%", "30%", "40%", "75%")
N_YEARS = ("2", "3", "5", "7", "10", "15", "20", "25", "30", "40")
N_TERM = ("10", "15", "20", "25", "30")
N_SMALL = ("2", "3", "4", "5", "6", "7", "8", "9", "10")
N_BIG = ("50", "100", "250", "500", "1000", "10000")
N_DEC = ("2", "3", "4", "5")
N_PEOPLE = ("2", "3", "4", "5", "6", "8", "10", "12", "20", "50")
N_DAYS = ("2", "3", "4", "5", "7", "10", "14")
N_HOURS = ("2", "4", "6", "8", "12", "24", "48")
N_MIN = ("2", "3", "5", "10", "15", "20", "30", "45")
N_MINUTES_EX = ("10", "15", "20", "30", "45", "60", "90")
N_GRAMS = ("50", "100", "150", "200", "250", "300", "500")
N_KG = ("3", "5", "8", "10", "15", "20", "25", "30", "40", "50")
N_CUPS = ("2", "3", "4", "1.5", "2.5", "5")
N_VCPU = ("2", "4", "8", "16", "32", "64")
N_RAM = ("4", "8", "16", "32", "64", "128")
N_ALT = ("0", "500", "1000", "1500", "2000", "3000", "4000", "5000", "8848")
N_WEEKS = ("4", "6", "8", "10", "12", "16", "20")
N_TITLES = ("3", "5", "7", "10", "15", "20")
N_WORDS = ("50", "100", "200", "300", "500", "1000")
N_QTY = ("2", "3", "4", "5", "6", "10", "12")
N_CONV = ("2", "3", "5", "10", "12", "15", "20", "25", "50", "100", "150", "250", "500", "1000",
          "2.5", "42")
TEMP_VALS = ("0", "20", "37", "100", "150", "180", "200", "220", "350", "400", "-10", "-40")
N_SQ = ("2", "3", "10", "50", "144", "200", "225", "1000", "1024", "2025", "99", "7")
N_FACTOR = ("12", "36", "60", "84", "90", "100", "126", "210", "360", "1001", "2024", "97")
N_MUL = ("7", "12", "13", "17", "24", "25", "36", "48", "99", "125", "250", "365")
N_ARRANGE = ("3", "4", "5", "6", "7", "8", "10", "12")
DICE_SUMS = ("2", "3", "4", "5", "6", "7")
N_FACT = ("5", "6", "7", "8", "10", "12", "15", "20")
FRACS = ("1/2", "1/3", "2/3", "1/4", "3/4", "2/5", "3/8", "5/6", "1/6", "7/8")
BASES = ("binary", "hexadecimal", "octal", "base 3", "base 5")
LEN_UNITS = ("kilometers", "miles", "meters", "feet", "inches", "centimeters", "yards",
             "millimeters", "nautical miles")
MASS_UNITS = ("kilograms", "pounds", "grams", "ounces", "stone", "metric tons")
VOL_UNITS = ("liters", "gallons", "cups", "milliliters", "tablespoons", "teaspoons",
             "fluid ounces", "quarts", "pints")
TEMP_UNITS = ("Celsius", "Fahrenheit", "Kelvin")
SHORT_LEN_UNITS = ("cm", "inches", "meters", "feet", "mm")
#: coupled (distance unit, speed unit)
DIST_UNITS = (("km", "km/h"), ("miles", "mph"))
MATH_POLY = ("x^2", "x^3", "3x^4", "5x^2 + 2x", "x^3 - 4x", "2x^5", "x^4 + x^2", "7x", "x^10",
             "4x^3 - 3x^2 + x")
MATH_FN = ("sin(x)", "cos(x)", "e^x", "ln(x)", "tan(x)", "1/x", "sqrt(x)", "x*e^x",
           "x^2*sin(x)", "ln(x^2 + 1)", "e^(2x)", "arctan(x)", "sin(x)cos(x)", "x*ln(x)")
SHAPES = ("circle", "triangle", "trapezoid", "parallelogram", "rhombus", "regular hexagon",
          "ellipse", "sector of a circle", "regular pentagon", "kite", "semicircle")
SOLIDS = ("sphere", "cylinder", "cone", "cube", "pyramid", "triangular prism", "hemisphere",
          "rectangular box", "torus")
MATH_CONCEPTS = ("the Pythagorean theorem", "the roots of a quadratic", "compound interest",
                 "the volume of a sphere", "standard deviation", "the slope of a line",
                 "the distance between two points", "the sum of an arithmetic series",
                 "the area of a trapezoid", "the law of cosines", "combinations",
                 "the circumference of a circle")
MATH_TOPICS = ("a matrix", "an eigenvalue", "a logarithm", "a limit", "a prime number",
               "a vector", "a complex number", "a Fourier transform", "Bayes' theorem",
               "the central limit theorem", "a p-value", "a normal distribution",
               "linear regression", "a permutation", "a derivative", "an integral",
               "a differential equation", "modular arithmetic", "a confidence interval",
               "a Taylor series", "a group in abstract algebra", "a proof by induction")
MATH_SUBJECTS = ("linear algebra", "calculus", "statistics", "probability", "discrete math",
                 "number theory", "abstract algebra", "topology", "trigonometry", "geometry",
                 "real analysis", "differential equations", "graph theory")
TONES = ("formal", "casual", "humorous", "persuasive", "apologetic", "enthusiastic", "neutral",
         "sarcastic", "empathetic", "assertive")
RECIPIENTS = ("my landlord", "my boss", "a client", "my professor", "a recruiter", "a coworker",
              "my child's teacher", "my neighbor", "a customer", "my team",
              "the HR department", "a vendor")
EMAIL_TOPICS = ("a late payment", "a delayed project", "requesting time off",
                "a missed deadline", "a broken heater", "rescheduling a meeting",
                "asking for a raise", "a billing error", "a noise complaint",
                "declining a job offer", "following up after an interview",
                "a refund request", "introducing a new policy")
POEM_FORMS = ("haiku", "sonnet", "limerick", "free-verse poem", "acrostic poem", "ballad",
              "villanelle", "rap verse")
POEM_TOPICS = ("the ocean", "autumn leaves", "my cat", "first love", "the city at night",
               "coffee", "friendship", "the moon", "rain", "growing old", "a lost sock",
               "Monday mornings", "the mountains", "my grandmother's kitchen")
LENGTHS = ("one sentence", "three sentences", "50 words", "100 words", "one paragraph",
           "300 words", "500 words", "a single tweet")
CONFUSABLES = (("affect", "effect"), ("who", "whom"), ("fewer", "less"), ("lay", "lie"),
               ("its", "it's"), ("their", "there"), ("then", "than"),
               ("compliment", "complement"), ("principal", "principle"), ("e.g.", "i.e."),
               ("farther", "further"), ("lose", "loose"), ("ensure", "insure"),
               ("historic", "historical"), ("continual", "continuous"),
               ("stationary", "stationery"))
PHRASES = ("good morning", "where is the train station?", "thank you very much",
           "I'm allergic to peanuts", "how much does this cost?", "nice to meet you",
           "happy birthday", "the bill, please", "can you help me?", "see you tomorrow",
           "I'm lost", "do you speak English?", "a table for two, please",
           "where is the bathroom?", "I would like a coffee", "what time is it?",
           "congratulations on your wedding", "I need a doctor")
SENTENCES = ("We regret to inform you that your application was not successful.",
             "The meeting has been moved to Thursday afternoon.",
             "Please send me the final report by the end of the week.",
             "I can't make it to the party tonight.",
             "Your order has shipped and should arrive in three days.",
             "Our team exceeded its sales target this quarter.",
             "The server will be down for maintenance on Sunday.",
             "I think we should reconsider the budget for next year.",
             "Thanks for your patience while we fix the issue.",
             "The new policy takes effect on the first of the month.")
#: coupled (capitalised, lower-case) text tasks: a change is a different output (format kind)
TEXT_TASKS = (("Summarize", "summarize"), ("Translate into French", "translate into French"),
              ("Translate into German", "translate into German"), ("Proofread", "proofread"),
              ("Shorten", "shorten"), ("Translate into Spanish", "translate into Spanish"),
              ("Rewrite in plain English", "rewrite in plain English"))
PARAGRAPH_TOPICS = ("climate change", "remote work", "the history of jazz",
                    "our quarterly results", "a new product launch", "sleep and memory",
                    "electric cars", "the Roman Empire", "urban gardening",
                    "artificial intelligence in medicine")
WRITING_PIECES = ("thesis statement", "opening line for a novel", "college application essay",
                  "resume summary", "LinkedIn headline", "conclusion paragraph", "wedding toast",
                  "eulogy", "product description", "press release", "grant proposal",
                  "business plan", "research abstract", "cold email", "book review")
STORY_TOPICS = ("a robot who learns to paint", "a haunted lighthouse", "a time-traveling cat",
                "the last tree on Earth", "a detective in Tokyo", "a dragon who is afraid of fire",
                "two strangers on a train", "a kid who finds a map", "a chef who loses her taste",
                "an astronaut stranded on Mars")
OCCASIONS = ("my sister's wedding", "a retirement party", "a graduation ceremony",
             "my dad's 60th birthday", "a funeral", "a team offsite", "a product launch",
             "my best friend's engagement party", "a school reunion")
SYN_WORDS = ("happy", "important", "big", "said", "interesting", "beautiful", "difficult",
             "use", "show", "good", "bad", "fast", "smart", "help", "angry", "tired",
             "improve", "change")
TRAVEL_AUDIENCE = ("families with kids", "solo travelers", "couples", "backpackers",
                   "seniors", "people in wheelchairs", "digital nomads", "foodies")
DOC_DIETS = ("vegan", "vegetarian", "gluten-free", "halal", "kosher")
BOOK_GENRES = ("sci-fi", "fantasy", "mystery", "historical fiction", "horror", "romance",
               "self-help", "graphic novel", "poetry", "true crime", "popular science")
#: reader audiences (scope kind: "for kids" vs "for adults")
READER_AUDIENCES = ("kids", "teenagers", "adults", "seniors", "young adults")
#: who an explanation is for (scope kind); ordered from least to most expert
EXPLAIN_AUDIENCES = ("a five-year-old", "a high school student", "a college student",
                     "a software engineer", "a PhD physicist", "a lawyer", "a doctor")
DEV_LEVELS = ("beginners", "intermediate developers", "experienced developers")
SPORT_LEVELS = ("beginners", "intermediate players", "advanced players", "kids")
DEPTH_ADJ = ("quick", "detailed")
LIB_PURPOSES = ("web scraping", "data visualization", "machine learning", "PDF generation",
                "image processing", "logging", "testing", "building CLIs",
                "async networking", "date handling", "game development",
                "natural language processing")
PASSWORD_PLATFORMS = ("iPhone", "Android", "Linux", "families", "small businesses", "Mac")
SCI_DOC_TOPICS = ("black holes", "the deep ocean", "climate change", "the human brain",
                  "evolution", "volcanoes", "the immune system", "space exploration",
                  "dinosaurs", "quantum physics", "ancient Egypt", "bees")

# --- programming-specific tasks, concepts and identifiers ---------------------------------------

CODE_TASKS = (
    "checks if a string is a palindrome", "computes the factorial of a number",
    "returns the nth Fibonacci number", "flattens a nested list", "counts the vowels in a string",
    "merges two sorted arrays", "finds the largest element in an array",
    "removes whitespace from a string", "validates an email address",
    "converts Celsius to Fahrenheit", "reverses the words in a sentence",
    "checks if two strings are anagrams", "finds duplicate values in a list",
    "computes the average of a list of numbers", "generates a random password",
    "sorts a list of dictionaries by a key", "parses a CSV file into a list of rows",
    "counts word frequencies in a text", "checks whether a year is a leap year",
    "converts a Roman numeral to an integer", "implements binary search",
    "finds the greatest common divisor of two numbers", "capitalizes the first letter of each word",
    "debounces another function", "retries a failing HTTP request",
)
SQL_TASKS = (
    "finds the second highest salary", "counts orders per customer", "returns duplicate emails",
    "finds customers who never placed an order", "computes a running total",
    "gets the top 5 products by revenue", "deletes duplicate rows",
    "finds employees who earn more than their manager", "groups sales by month",
    "returns the latest order for each customer", "pivots rows into columns",
    "finds gaps in a sequence of IDs",
)
REGEX_TARGETS = ("email addresses", "US phone numbers", "IPv4 addresses",
                 "dates in YYYY-MM-DD format", "URLs", "hex color codes", "UK postcodes",
                 "credit card numbers", "strong passwords", "HTML tags", "time in HH:MM format",
                 "ZIP codes")
GIT_ACTIONS = (
    "undo the last commit", "rename a branch", "delete a remote branch", "squash commits",
    "stash changes", "cherry-pick a commit", "change the last commit message",
    "resolve a merge conflict", "see the commit history of a file", "discard local changes",
    "create a tag", "clone a specific branch", "remove a file from the index",
    "sign my commits", "find which commit introduced a bug",
)
GIT_CMDS = ("git merge", "git rebase", "git fetch", "git pull", "git reset", "git revert",
            "git stash", "git checkout", "git switch", "git restore", "git cherry-pick")
FW_TASKS = (
    "set up authentication", "handle file uploads", "add pagination", "connect to a database",
    "write middleware", "enable CORS", "handle form validation", "set up routing",
    "use environment variables", "cache responses", "serve static files",
    "write integration tests", "add rate limiting", "send emails", "handle websockets",
    "internationalize the app",
)
TECH_CONCEPTS = (
    "an API", "a REST API", "a virtual machine", "a load balancer", "a reverse proxy", "DNS",
    "a CDN", "OAuth", "a JWT", "a hash table", "recursion", "a closure", "a race condition",
    "a deadlock", "garbage collection", "dependency injection", "a microservice architecture",
    "serverless computing", "CI/CD", "a linked list", "a binary search tree", "big O notation",
    "a monad", "a mutex", "a webhook", "GraphQL", "gRPC", "a message queue",
    "eventual consistency", "sharding", "a database index", "a foreign key", "an ORM",
    "a Python virtual environment", "a merge conflict", "memoization", "dynamic programming",
    "a lambda function", "polymorphism", "inheritance", "encapsulation", "a segmentation fault",
    "a memory leak", "a pointer", "asynchronous programming", "an event loop", "a thread pool",
    "a cron job", "SSH", "a VPN", "a firewall", "a subnet", "a Bloom filter", "a trie",
    "a heap", "a graph database", "a neural network", "gradient descent", "overfitting",
    "a transformer model", "a large language model", "tokenization", "backpropagation",
    "an embedding", "a Docker container", "idempotency", "rate limiting", "a service worker",
)
DEVOPS_CONCEPTS = (
    "blue-green deployment", "a canary release", "infrastructure as code", "a service mesh",
    "GitOps", "a sidecar container", "a Helm chart", "a Kubernetes operator",
    "an init container", "a DaemonSet", "a StatefulSet", "autoscaling", "observability",
    "chaos engineering", "a container registry", "an artifact repository", "a liveness probe",
    "a readiness probe", "a ConfigMap", "a persistent volume", "an ingress controller",
    "a service level objective", "a runbook", "immutable infrastructure",
)
ALGOS = (
    "quicksort", "merge sort", "binary search", "heapsort", "bubble sort", "insertion sort",
    "Dijkstra's algorithm", "breadth-first search", "depth-first search",
    "inserting into a hash table", "building a heap", "the Bellman-Ford algorithm",
    "Kruskal's algorithm", "the Floyd-Warshall algorithm", "radix sort", "counting sort",
    "searching a balanced binary search tree", "the KMP string search", "topological sort",
)
#: coupled (type, article + type) for conversions
DTYPES = ("a string", "an integer", "a float", "a byte array")
DATE_FMTS = ("YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "a Unix timestamp", "RFC 2822",
             "a human-readable string like 'March 5, 2024'")
DATA_FMTS = ("JSON", "YAML", "CSV", "XML", "TOML", "Markdown", "Parquet", "Excel")
IMG_FMTS = ("JPG", "PNG", "HEIC", "WebP", "GIF", "TIFF", "BMP", "SVG")
DOC_FMTS = ("PDF", "Word", "EPUB", "plain text", "HTML", "Markdown", "PowerPoint", "Excel")
AUDIO_FMTS = ("MP3", "WAV", "FLAC", "AAC", "OGG", "M4A")
VIDEO_FMTS = ("MP4", "MOV", "AVI", "MKV", "WebM", "GIF")
HOST_LOCS = ("the host", "a Docker container", "a remote server", "an S3 bucket", "my laptop",
             "a Kubernetes pod", "a virtual machine", "Google Drive")
SERVICES = ("PostgreSQL", "MySQL", "Redis", "MongoDB", "SSH", "HTTPS", "HTTP", "SMTP", "DNS",
            "FTP", "RDP", "Elasticsearch", "Kafka", "RabbitMQ", "LDAP", "IMAP", "POP3", "NTP",
            "Memcached", "Prometheus", "Grafana", "Jupyter Notebook")
PY_EXCEPTIONS = (
    "KeyError", "ValueError", "TypeError", "IndexError", "AttributeError", "ImportError",
    "ModuleNotFoundError", "NameError", "ZeroDivisionError", "RecursionError",
    "UnicodeDecodeError", "FileNotFoundError", "PermissionError", "StopIteration",
    "AssertionError", "NotImplementedError", "MemoryError", "OverflowError", "IndentationError",
    "RuntimeError", "TimeoutError", "ConnectionRefusedError", "UnboundLocalError",
    "JSONDecodeError",
)
JS_ERRORS = (
    "undefined is not a function", "Cannot read properties of undefined",
    "Unexpected token < in JSON at position 0", "Maximum call stack size exceeded",
    "Cannot read properties of null", "is not iterable", "Assignment to constant variable",
    "Unexpected end of input", "Failed to fetch", "CORS policy: No 'Access-Control-Allow-Origin'",
    "Cannot use import statement outside a module", "Invalid hook call",
    "Objects are not valid as a React child", "ERR_REQUIRE_ESM",
)
PY_BUILTINS = (
    "enumerate", "zip", "map", "filter", "sorted", "reversed", "isinstance", "getattr",
    "setattr", "hasattr", "any", "all", "range", "len", "open", "input", "super", "iter", "next",
    "divmod", "round", "abs", "min", "max", "sum", "repr", "vars", "dir", "id", "hash", "eval",
    "exec", "globals", "callable", "issubclass", "frozenset", "bytearray", "memoryview",
)
JS_METHODS = (
    "Array.map", "Array.filter", "Array.reduce", "Array.forEach", "Array.splice",
    "Array.slice", "Array.find", "Array.some", "Array.every", "Array.flat", "Object.freeze",
    "Object.assign", "Object.entries", "Promise.all", "Promise.race", "Promise.allSettled",
    "JSON.stringify", "JSON.parse", "setTimeout", "setInterval", "String.split",
    "String.substring", "String.substr", "Array.includes", "Array.indexOf",
)
FUNC_NAMES = (
    "getUserById", "getUserByEmail", "getUsersByRole", "fetchOrders", "fetchOrderById",
    "parseDate", "parseDateTime", "calculateTotal", "calculateTax", "validateEmail",
    "validatePhone", "sendEmail", "sendSms", "createInvoice", "updateInvoice", "loadConfig",
    "saveConfig", "formatPrice", "formatCurrency", "getCartItems", "getCartTotal",
)
RELEASES = (
    "Python 3.10", "Python 3.11", "Python 3.12", "Python 3.13", "Node.js 18", "Node.js 20",
    "Node.js 22", "Java 17", "Java 21", "Django 4.2", "Django 5.0", "React 18", "React 19",
    "iOS 17", "iOS 18", "Android 14", "Android 15", "Ubuntu 22.04", "Ubuntu 24.04",
    "Kubernetes 1.29", "Kubernetes 1.30", "PostgreSQL 16", "PostgreSQL 17", "Go 1.21",
    "Go 1.22", "Rust 1.75", "Rust 1.80", "TypeScript 5.0", "TypeScript 5.4", "Angular 17",
    "Angular 18",
)
HTTP_CODES = ("400", "401", "403", "404", "405", "408", "409", "410", "413", "415", "418", "422",
              "429", "500", "501", "502", "503", "504")
EXIT_CODES = ("1", "2", "125", "126", "127", "128", "130", "137", "139", "143", "255")
K8S_STATES = ("CrashLoopBackOff", "ImagePullBackOff", "Pending", "ContainerCreating",
              "Terminating", "CreateContainerConfigError", "RunContainerError",
              "Init:CrashLoopBackOff", "OOMKilled", "Evicted")
PORTS = ("22", "25", "53", "80", "443", "3000", "3306", "5000", "5432", "5672", "6379", "8000",
         "8080", "8443", "9000", "9090", "9200", "27017")
WIN_ERRORS = ("0x80070005", "0x80070057", "0x800F081F", "0x80004005", "0x8007000E",
              "0xC000021A", "0x80070002", "0x800704C7", "0x80240017", "0x80070643",
              "0x8024402C", "0xC1900101", "0x800F0922", "0x80073712")
OBD_CODES = ("P0300", "P0301", "P0302", "P0420", "P0171", "P0174", "P0455", "P0442", "P0128",
             "P0401", "P0506", "P0700", "P0011", "P0113", "P0135", "P0340", "P0505", "P0430")
CONF_PATHS = (
    "/etc/nginx/nginx.conf", "~/.bashrc", "~/.zshrc", "/etc/hosts", "/etc/fstab",
    "~/.ssh/config", "/etc/ssh/sshd_config", "/etc/resolv.conf", "/etc/crontab",
    "~/.gitconfig", "/etc/sudoers", "/etc/default/grub", "/etc/environment",
    "/etc/sysctl.conf", "/etc/systemd/system.conf", "/etc/apt/sources.list",
    "/etc/docker/daemon.json", "~/.profile", "/etc/nginx/sites-available/default",
    "C:\\Windows\\System32\\drivers\\etc\\hosts",
)
LOG_PATHS = ("/var/log/syslog", "/var/log/nginx/error.log", "/var/log/nginx/access.log",
             "/var/log/auth.log", "/var/log/kern.log", "/var/log/apache2/error.log",
             "/var/log/dmesg", "/var/log/mysql/error.log")
ENDPOINTS = ("/api/v1/users", "/api/v2/users", "/api/v1/orders", "/api/v2/orders",
             "/api/v1/payments", "/api/v1/auth/token", "/api/v1/products", "/login",
             "/checkout", "/health", "/api/v1/users/me", "/api/v1/invoices")
APP_DOMAINS = ("shop.example.com", "api.example.com", "app.mycompany.io", "staging.example.org",
               "dashboard.acme.dev", "portal.contoso.com")

# =================================================================================================
# Slot classes: name -> values, and which negative kind replacing a value counts as.
# =================================================================================================

SLOTS: dict[str, tuple[Filler, ...]] = {
    "lang": PROG_LANGS, "code_lang": CODE_LANGS, "framework": FRAMEWORKS, "db": DATABASES,
    "sql_db": SQL_DBS, "cloud": CLOUDS, "os": OSES, "tool": TOOLS, "daemon": DAEMONS,
    "web_server": WEB_SERVERS, "ci_tool": CI_TOOLS, "iac": IAC_TOOLS, "orch": ORCHESTRATORS,
    "pkg": PY_PKGS, "app": APPS, "sub": SUBSCRIPTIONS, "company": COMPANIES, "store": STORES,
    "bank": BANKS, "phone": PHONES, "laptop": LAPTOPS, "product": PRODUCTS,
    "product_cat": PRODUCT_CATS, "gift_for": GIFT_FOR, "color": COLORS, "device": DEVICES,
    "appliance": APPLIANCES, "account_field": ACCOUNT_FIELDS, "computer": COMPUTER_KINDS,
    "phone_kind": PHONE_KINDS, "country": COUNTRIES, "city": CITIES, "state": US_STATES,
    "demonym": DEMONYMS, "person_hist": PEOPLE_HIST, "person": PEOPLE_LIVING, "job": JOBS,
    "hlang": HUMAN_LANGS, "tgt_lang": HUMAN_LANGS, "drug": DRUGS, "supp": SUPPLEMENTS,
    "cond": CONDITIONS, "acute": ACUTE_CONDS, "symptom": SYMPTOMS, "trigger": TRIGGERS,
    "procedure": PROCEDURES, "post_act": POST_ACTS, "exercise": EXERCISES, "move": EX_MOVES,
    "biomarker": BIOMARKERS, "nutrient": NUTRIENTS, "people_group": PEOPLE_GROUPS,
    "age_group": AGE_GROUPS, "sleep_age": SLEEP_AGES, "emergency": EMERGENCIES, "vital": VITALS,
    "body_goal": BODY_GOALS, "food": FOODS, "dish": DISHES, "baked": BAKED,
    "ingredient": INGREDIENTS, "dry_ing": DRY_INGS, "herb": HERBS, "fruit": FRUITS,
    "leftover": LEFTOVERS, "storage": STORAGE, "grain": GRAINS, "cooker": COOKERS,
    "freezable": FREEZABLE, "pan": PANS, "cook_method": COOK_METHODS, "diet": DIETS,
    "meal": MEALS, "bake_fail": BAKE_FAILS, "equipment": EQUIPMENT, "airline": AIRLINES,
    "landmark": LANDMARKS, "airport": AIRPORT_PAIRS, "carry": CARRY_ITEMS, "cur": CURRENCIES,
    "fin_concept": FIN_CONCEPTS, "fin_product": FIN_PRODUCTS, "loan": LOANS, "acct": ACCOUNTS,
    "income": INCOME_TYPES, "retire": RETIRE_ACCTS, "asset": ASSETS, "budget_user": BUDGET_USERS,
    "legal_concept": LEGAL_CONCEPTS, "legal_pair": LEGAL_PAIRS, "rel": ROLE_PAIRS,
    "claim": CLAIMS, "legal_task": LEGAL_TASKS, "legal_proc": LEGAL_PROCS, "act": ACTS,
    "place": JURISDICTIONS, "situation": SITUATIONS, "emp_action": EMP_ACTIONS,
    "fire_reason": FIRE_REASONS, "offense": OFFENSES, "complaint_target": COMPLAINT_TARGETS,
    "pet": PETS, "pet_kind": PET_KINDS, "vacc_pet": VACC_PETS, "breed": BREEDS,
    "pet_food": PET_FOODS, "toxic": TOXICS, "reptile": REPTILES, "trick": TRICKS,
    "care": CARE_TASKS, "dog_act": DOG_ACTS, "cat_act": CAT_ACTS, "owner_type": OWNER_TYPES,
    "pet_a": PET_A, "sport": SPORTS, "team_sport": TEAM_SPORTS, "team": TEAMS,
    "event": ANNUAL_EVENTS, "wc_year": WC_YEARS, "footballer": FOOTBALLERS,
    "baller": BASKETBALLERS, "tennis": TENNIS_PLAYERS, "skill": SKILLS, "race": RACE_DISTS,
    "runner_level": RUNNER_LEVELS, "dist_m": DIST_M, "sex_adj": SEX_ADJ, "planet": PLANETS,
    "planet_moons": PLANET_MOONS, "element": ELEMENTS, "compound": COMPOUNDS,
    "isotope": ISOTOPES, "organ": ORGANS, "animals": ANIMALS_PL, "medium": MEDIA, "wave": WAVES,
    "sci_concept": SCI_CONCEPTS, "hypo": HYPOTHETICALS, "invention": INVENTIONS,
    "discovery": DISCOVERIES, "painting": PAINTINGS, "building": BUILDINGS, "film": FILMS,
    "book": BOOKS, "hist_event": HIST_EVENTS, "long_event": LONG_EVENTS, "empire": EMPIRES,
    "battle": BATTLES, "hist_doc": HIST_DOCS, "decade": DECADES, "century": CENTURIES,
    "ordinal": ORDINALS, "year": YEARS, "recent_year": RECENT_YEARS, "hist_year": HIST_YEARS,
    "event_year": EVENT_YEARS, "month": MONTHS, "season": SEASONS, "weekday": WEEKDAYS,
    "rel_day": REL_DAYS_FUT, "past_period": PAST_PERIODS, "era": ERAS, "salary": SALARY_K,
    "money": MONEY, "price": PRICE_CAPS, "money_big": MONEY_BIG, "amount": AMOUNTS, "pct": PCT,
    "n_years": N_YEARS, "n_term": N_TERM, "n_small": N_SMALL, "n_big": N_BIG, "n_dec": N_DEC,
    "n_people": N_PEOPLE, "n_days": N_DAYS, "n_hours": N_HOURS, "n_min": N_MIN,
    "n_minutes": N_MINUTES_EX, "n_grams": N_GRAMS, "n_kg": N_KG, "n_cups": N_CUPS,
    "n_vcpu": N_VCPU, "n_ram": N_RAM, "n_alt": N_ALT, "n_weeks": N_WEEKS, "n_titles": N_TITLES,
    "n_words": N_WORDS, "n_qty": N_QTY, "n_conv": N_CONV, "temp_val": TEMP_VALS, "n_sq": N_SQ,
    "n_factor": N_FACTOR, "n_mul": N_MUL, "n_arrange": N_ARRANGE, "dice": DICE_SUMS,
    "n_fact": N_FACT, "frac": FRACS, "base": BASES, "len_unit": LEN_UNITS,
    "mass_unit": MASS_UNITS, "vol_unit": VOL_UNITS, "temp_unit": TEMP_UNITS,
    "short_unit": SHORT_LEN_UNITS, "du": DIST_UNITS, "poly": MATH_POLY, "fn": MATH_FN,
    "shape": SHAPES, "solid": SOLIDS, "math_concept": MATH_CONCEPTS, "math_topic": MATH_TOPICS,
    "math_subject": MATH_SUBJECTS, "tone": TONES, "recipient": RECIPIENTS,
    "email_topic": EMAIL_TOPICS, "poem_form": POEM_FORMS, "poem_topic": POEM_TOPICS,
    "length": LENGTHS, "confusable": CONFUSABLES, "phrase": PHRASES, "sentence": SENTENCES,
    "text_task": TEXT_TASKS, "para_topic": PARAGRAPH_TOPICS, "piece": WRITING_PIECES,
    "story_topic": STORY_TOPICS, "occasion": OCCASIONS, "syn_word": SYN_WORDS,
    "travel_aud": TRAVEL_AUDIENCE, "doc_diet": DOC_DIETS, "genre": BOOK_GENRES,
    "reader": READER_AUDIENCES, "explain_aud": EXPLAIN_AUDIENCES, "dev_level": DEV_LEVELS,
    "sport_level": SPORT_LEVELS, "depth": DEPTH_ADJ, "lib_purpose": LIB_PURPOSES,
    "pw_platform": PASSWORD_PLATFORMS, "sci_doc": SCI_DOC_TOPICS, "code_task": CODE_TASKS,
    "sql_task": SQL_TASKS, "regex": REGEX_TARGETS, "git_action": GIT_ACTIONS,
    "git_cmd": GIT_CMDS, "fw_task": FW_TASKS, "tech_concept": TECH_CONCEPTS,
    "devops_concept": DEVOPS_CONCEPTS, "algo": ALGOS, "dtype": DTYPES, "date_fmt": DATE_FMTS,
    "data_fmt": DATA_FMTS, "img_fmt": IMG_FMTS, "doc_fmt": DOC_FMTS, "audio_fmt": AUDIO_FMTS,
    "video_fmt": VIDEO_FMTS, "host_loc": HOST_LOCS, "service": SERVICES,
    "py_exc": PY_EXCEPTIONS, "js_err": JS_ERRORS, "py_builtin": PY_BUILTINS,
    "js_method": JS_METHODS, "func": FUNC_NAMES, "release": RELEASES, "http": HTTP_CODES,
    "exit_code": EXIT_CODES, "kstate": K8S_STATES, "port": PORTS, "win_err": WIN_ERRORS,
    "obd": OBD_CODES, "conf_path": CONF_PATHS, "log_path": LOG_PATHS, "endpoint": ENDPOINTS,
    "app_domain": APP_DOMAINS,
}

#: generated identifier classes (values made by ``_gen_identifier``; near misses by
#: ``_near_miss``): order numbers, tickets, SKUs, tracking numbers, semver, git hashes, ...
GENERATED_IDS = ("order_id", "ticket_id", "sku", "tracking", "semver", "git_hash", "ecode",
                 "cardnum", "flight_no", "invoice", "eq")

_KIND_OF_CLASSES = {
    "entity": (
        "lang framework db sql_db cloud os tool daemon web_server ci_tool iac orch pkg app sub "
        "company store bank phone laptop product product_cat gift_for color device appliance "
        "computer phone_kind country city state demonym person_hist person job hlang drug supp "
        "cond acute symptom trigger procedure exercise move biomarker food dish baked "
        "ingredient dry_ing herb fruit leftover storage grain cooker freezable pan airline "
        "landmark airport carry asset loan acct income retire budget_user place pet pet_kind "
        "vacc_pet breed pet_food toxic reptile pet_a sport team_sport team event footballer "
        "baller tennis planet planet_moons element compound isotope organ animals medium wave "
        "invention discovery painting building film book hist_event long_event empire battle "
        "hist_doc recipient fn host_loc service complaint_target"
    ),
    "number": (
        "salary money price money_big amount pct n_years n_term n_small n_big n_dec n_people "
        "n_days n_hours n_min n_minutes n_grams n_kg n_cups n_vcpu n_ram n_alt n_weeks n_titles "
        "n_words n_qty n_conv temp_val n_sq n_factor n_mul n_arrange dice n_fact frac base "
        "len_unit mass_unit vol_unit temp_unit short_unit du poly ordinal race dist_m cur "
        "sleep_age eq"
    ),
    "time": "year recent_year hist_year event_year wc_year month season weekday rel_day "
            "past_period era decade century",
    "identifier": (
        "py_exc js_err py_builtin js_method func release http exit_code kstate port win_err "
        "obd conf_path log_path endpoint app_domain order_id ticket_id sku tracking semver "
        "git_hash ecode cardnum flight_no invoice"
    ),
    "format": "code_lang data_fmt tgt_lang tone length poem_form text_task date_fmt img_fmt "
              "doc_fmt audio_fmt video_fmt",
    "scope": "people_group age_group reader explain_aud dev_level sport_level depth "
             "runner_level travel_aud owner_type",
    "antonym": "sex_adj",
    "related": (
        "code_task sql_task regex git_action git_cmd fw_task tech_concept devops_concept algo "
        "dtype account_field post_act emergency vital body_goal nutrient cook_method diet meal "
        "bake_fail equipment fin_concept fin_product legal_concept legal_pair rel claim "
        "legal_task legal_proc act situation emp_action fire_reason offense trick care dog_act "
        "cat_act skill sci_concept hypo shape solid math_concept math_topic math_subject "
        "email_topic poem_topic confusable phrase sentence para_topic piece story_topic "
        "occasion syn_word doc_diet genre lib_purpose pw_platform sci_doc"
    ),
}
SLOT_KIND: dict[str, str] = {c: k for k, names in _KIND_OF_CLASSES.items() for c in names.split()}

FLIGHT_DAYS = ("today", "tomorrow", "tonight", "on Friday", "on Sunday", "next Monday")
LL_ACTIONS = ("enter my apartment", "raise the rent", "change the locks", "shut off the utilities",
              "end my lease", "show my apartment to buyers", "do repairs in my unit",
              "remove my belongings", "tow my car")
RETIRE_AGES = ("25", "30", "35", "40", "45", "50", "55", "60")
N_SPEED = ("30", "45", "50", "60", "70", "80", "100", "120")
CITE_STYLES = ("APA", "MLA", "Chicago", "Harvard", "IEEE")
SOURCE_TYPES = ("a website", "a YouTube video", "a book with two authors", "a journal article",
                "a podcast episode", "a tweet", "an interview", "a government report",
                "a newspaper article", "a dataset")
PLATFORMS = ("iPhone", "Android phone", "Windows laptop", "Mac", "Chromebook", "iPad",
             "smart TV", "Linux desktop")
PET_SYMPTOMS = ("losing hair", "sneezing a lot", "drinking so much water", "scratching so much",
                "throwing up", "limping", "panting at night", "shaking", "drooling a lot",
                "sleeping all day", "coughing")
HIST_CITIES = ("Rome", "London", "Paris", "Constantinople", "Beijing", "Baghdad", "Venice",
               "Cairo", "Kyoto", "Cordoba", "Florence", "Athens", "Alexandria", "Xi'an",
               "Tenochtitlan", "Delhi", "Timbuktu", "Samarkand")
WORKOUT_KINDS = ("morning run", "weightlifting session", "long bike ride", "yoga class",
                 "swim workout", "HIIT class", "soccer match")

SLOTS.update({
    "flight_day": FLIGHT_DAYS, "ll_action": LL_ACTIONS, "age_ret": RETIRE_AGES,
    "n_speed": N_SPEED, "cite_style": CITE_STYLES, "source_type": SOURCE_TYPES,
    "platform": PLATFORMS, "pet_symptom": PET_SYMPTOMS, "hist_city": HIST_CITIES,
    "workout": WORKOUT_KINDS,
})
SLOT_KIND.update({
    "flight_day": "time", "ll_action": "related", "age_ret": "number", "n_speed": "number",
    "cite_style": "format", "source_type": "related", "platform": "entity",
    "pet_symptom": "related", "hist_city": "entity", "workout": "entity",
})

# =================================================================================================
# Question templates. A family is one question with all the ways of asking it; its ``forms`` are
# either full surfaces (tag "custom") or one body that a set of question frames expands.
# =================================================================================================


class Family(NamedTuple):
    """One template question and its paraphrase-equivalent surfaces."""

    domain: str
    tag: str  # "howto" | "whatis" | "recommend" | "compare" | "custom"
    forms: tuple[str, ...]
    swap: str  # two slot references a direction edit exchanges ("city1 city2", "rel.0 rel.1")
    explain: bool  # scope and format modifiers make sense ("... Explain like I'm five.")


#: "How do I X?" frames; X is a verb phrase, optionally "main|context" ("reverse a list|in Python")
HOWTO_FRAMES = (
    "How do I {X}?", "How can I {X}?", "How would I {X}?", "What's the way to {X}?",
    "What is the best way to {X}?", "Can you show me how to {X}?", "Could you explain how to {X}?",
    "Steps to {X}?", "What are the steps to {X}?", "How to {X}?",
    "I need to {X}. How do I do that?", "Show me how to {X}.", "Tell me how to {X}.",
    "Any idea how to {X}?", "Is there a way to {X}?", "Walk me through how to {X}.",
    "What's the proper way to {X}?", "I want to {X} - how?",
)
#: frames used after a fronted context ("In Python, how do I reverse a list?")
HOWTO_FRONT = ("how do I {X}?", "how can I {X}?", "what's the best way to {X}?",
               "what are the steps to {X}?")
#: "What is X?" frames; X is a noun phrase with its article ("a hash table", "inflation")
WHATIS_FRAMES = (
    "What is {X}?", "What's {X}?", "Can you explain what {X} is?", "Could you tell me what {X} is?",
    "Explain {X}.", "Explain {X} to me.", "What exactly is {X}?",
    "I keep hearing about {X}. What is it?", "Help me understand {X}.", "What is meant by {X}?",
)
#: recommendation frames; X is a plural noun phrase ("sci-fi books for teenagers")
RECOMMEND_FRAMES = (
    "What are some good {X}?", "Can you recommend some {X}?", "Could you suggest a few {X}?",
    "Any recommendations for {X}?", "What {X} would you recommend?",
    "I'm looking for {X}. Any suggestions?", "Recommend some {X}.", "Which {X} do you recommend?",
    "Suggest some {X}, please.",
)
#: symmetric comparison frames (swapping A and B keeps the meaning)
COMPARE_FRAMES = (
    "What's the difference between {A} and {B}?", "What is the difference between {B} and {A}?",
    "How is {A} different from {B}?", "How do {A} and {B} differ?",
    "{A} vs {B}: what's the difference?", "Can you explain the difference between {A} and {B}?",
    "Difference between {A} and {B}?", "How does {A} differ from {B}?",
    "{A} or {B} - how are they different?",
)


def _howto(domain: str, body: str, swap: str = "") -> Family:
    return Family(domain, "howto", (body,), swap, True)


def _whatis(domain: str, body: str) -> Family:
    return Family(domain, "whatis", (body,), "", True)


def _rec(domain: str, body: str) -> Family:
    return Family(domain, "recommend", (body,), "", True)


def _cmp(domain: str, a: str, b: str) -> Family:
    return Family(domain, "compare", (f"{a}|{b}",), "", True)


def _ex(domain: str, *forms: str, swap: str = "") -> Family:
    """A custom family of explanatory questions (scope and format modifiers apply)."""
    return Family(domain, "custom", forms, swap, True)


def _fq(domain: str, *forms: str, swap: str = "") -> Family:
    """A custom family of factual or transactional questions (no scope/format modifiers)."""
    return Family(domain, "custom", forms, swap, False)


P, D, K, T, HE, F, S, SU = ("programming", "devops", "cooking", "travel", "health", "finance",
                            "shopping", "support")
SC, HI, L, PE, SP, M, W = ("science", "history", "law", "pets", "sports", "math", "writing")

FAMILIES: tuple[Family, ...] = (
    # --- programming ---------------------------------------------------------------------------
    _howto(P, "reverse a list|in {lang}"),
    _howto(P, "sort a dictionary by value|in {lang}"),
    _howto(P, "read a file line by line|in {lang}"),
    _howto(P, "parse JSON|in {lang}"),
    _howto(P, "make an HTTP request|in {lang}"),
    _howto(P, "convert {dtype1} to {dtype2}|in {lang}", swap="dtype1 dtype2"),
    _howto(P, "remove duplicates from a list|in {lang}"),
    _howto(P, "check if a string contains a substring|in {lang}"),
    _howto(P, "get the current date and time|in {lang}"),
    _howto(P, "generate a random number between {n_small} and {n_big}|in {lang}"),
    _howto(P, "write unit tests|in {lang}"),
    _howto(P, "handle exceptions|in {lang}"),
    _howto(P, "split a string by a delimiter|in {lang}"),
    _howto(P, "iterate over a dictionary|in {lang}"),
    _howto(P, "read environment variables|in {lang}"),
    _howto(P, "pause execution for {n_small} seconds|in {lang}"),
    _howto(P, "round a number to {n_dec} decimal places|in {lang}"),
    _howto(P, "run a shell command|in {lang}"),
    _howto(P, "format a date as {date_fmt}|in {lang}"),
    _howto(P, "write to a file|in {lang}"),
    _howto(P, "start a new thread|in {lang}"),
    _howto(P, "connect to a {sql_db} database|from {lang}"),
    _howto(P, "{git_action}|in Git"),
    _howto(P, "revert commit {git_hash}|in Git"),
    _howto(P, "undo the last {n_small} commits|in Git"),
    _howto(P, "install version {semver} of {pkg}|with pip"),
    _howto(P, "{fw_task}|in {framework}"),
    _ex(P, "Write a {code_lang} function that {code_task}.",
        "Write a function in {code_lang} that {code_task}.",
        "Can you write a {code_lang} function that {code_task}?",
        "I need a {code_lang} function that {code_task}.",
        "Give me {code_lang} code for a function that {code_task}."),
    _ex(P, "Write a SQL query for {sql_db} that {sql_task}.",
        "Can you write a {sql_db} query that {sql_task}?",
        "I need a SQL query that {sql_task} in {sql_db}.",
        "Give me a {sql_db} SQL query that {sql_task}."),
    _ex(P, "Write a regex that matches {regex}.", "What regex matches {regex}?",
        "Can you give me a regular expression for {regex}?", "I need a regex to match {regex}."),
    _cmp(P, "{lang1}", "{lang2}"),
    _cmp(P, "TCP", "UDP"), _cmp(P, "a process", "a thread"), _cmp(P, "a compiler",
        "an interpreter"),
    _cmp(P, "concurrency", "parallelism"), _cmp(P, "authentication", "authorization"),
    _cmp(P, "a stack", "a queue"), _cmp(P, "an abstract class", "an interface"),
    _cmp(P, "a container", "a virtual machine"), _cmp(P, "{git_cmd1}", "{git_cmd2}"),
    _fq(P, "Is {lang1} faster than {lang2}?", "Does {lang1} run faster than {lang2}?",
        "Is {lang1} quicker than {lang2}?", "Is code written in {lang1} faster than {lang2} code?",
        swap="lang1 lang2"),
    _ex(P, "Why is {lang1} slower than {lang2}?", "What makes {lang1} slower than {lang2}?",
        "Why does {lang1} run slower than {lang2}?", swap="lang1 lang2"),
    _whatis(P, "{tech_concept}"),
    _ex(P, "What's the time complexity of {algo}?", "What is the time complexity of {algo}?",
        "What's the big O of {algo}?", "How fast is {algo} in big O terms?"),
    _ex(P, "What causes a {py_exc} in Python?", "Why am I getting a {py_exc} in Python?",
        "What usually triggers a {py_exc} in Python?", "Why does Python raise a {py_exc}?"),
    _ex(P, "What does the JavaScript error '{js_err}' mean?",
        "What does '{js_err}' mean in JavaScript?",
        "I'm getting '{js_err}' in JavaScript. What does it mean?",
        "JavaScript says '{js_err}' - what does that mean?"),
    _ex(P, "What does {py_builtin}() do in Python?", "How does Python's {py_builtin}() work?",
        "Can you explain the {py_builtin}() function in Python?",
        "What is {py_builtin}() used for in Python?"),
    _ex(P, "What does {js_method}() do in JavaScript?", "How does {js_method}() work?",
        "Can you explain {js_method}() in JavaScript?", "What is {js_method}() used for?"),
    _fq(P, "Why does {func}() return undefined?", "My {func}() function returns undefined. Why?",
        "{func}() keeps returning undefined - why?", "Why is {func}() returning undefined?"),
    _ex(P, "What's new in {release}?", "What are the new features in {release}?",
        "What changed in {release}?", "What does {release} add?"),
    _ex(P, "How do I convert a {lang1} script to {lang2}?",
        "What's the best way to port a {lang1} script to {lang2}?",
        "Can you help me translate a {lang1} script into {lang2}?",
        "How would I rewrite a {lang1} script in {lang2}?", swap="lang1 lang2"),
    _rec(P, "{lang} libraries for {lib_purpose}"),
    _rec(P, "{lang} project ideas for {dev_level}"),
    _rec(P, "resources to learn {lang}"),
    _ex(P, "What does HTTP status {http} mean?", "What is an HTTP {http} status code?",
        "What does a {http} response mean?", "What does the status code {http} mean?"),
    _ex(P, "How do I fix a {http} error in {framework}?",
        "My {framework} app returns {http}. How do I fix it?",
        "How can I fix an HTTP {http} error in my {framework} app?"),
    _fq(P, "Why does {endpoint} on {app_domain} return {http}?",
        "Why am I getting {http} from {app_domain}{endpoint}?",
        "Requests to https://{app_domain}{endpoint} return {http}. Why?"),
    _fq(P, "How do I convert a {data_fmt1} file to {data_fmt2}?",
        "What's the easiest way to turn a {data_fmt1} file into {data_fmt2}?",
        "Convert {data_fmt1} to {data_fmt2} - how?", swap="data_fmt1 data_fmt2"),
    # --- devops --------------------------------------------------------------------------------
    _howto(D, "install {tool}|on {os}"),
    _howto(D, "upgrade {tool}|on {os}"),
    _howto(D, "start {daemon} automatically at boot|on {os}"),
    _howto(D, "deploy a {framework} app|to {cloud}"),
    _howto(D, "set up a CI pipeline for a {lang} project|with {ci_tool}"),
    _howto(D, "expose port {port}|in a Docker container"),
    _howto(D, "increase the memory limit of a pod|in Kubernetes"),
    _howto(D, "copy files from {host_loc1} to {host_loc2}", swap="host_loc1 host_loc2"),
    _fq(D, "Why is my pod stuck in {kstate}?", "My Kubernetes pod is stuck in {kstate}. Why?",
        "What causes a pod to get stuck in {kstate}?",
        "Why would a Kubernetes pod stay in {kstate}?"),
    _ex(D, "What does exit code {exit_code} mean in Docker?",
        "My Docker container exited with code {exit_code}. What does that mean?",
        "What does it mean when a container exits with code {exit_code}?"),
    _howto(D, "set up HTTPS with Let's Encrypt|on {web_server}"),
    _cmp(D, "{iac1}", "{iac2}"),
    _cmp(D, "{orch1}", "{orch2}"),
    _ex(D, "How much does a {n_vcpu}-vCPU, {n_ram} GB VM cost per month on {cloud}?",
        "What's the monthly price of a {n_vcpu} vCPU / {n_ram} GB virtual machine on {cloud}?",
        "On {cloud}, how much is a VM with {n_vcpu} vCPUs and {n_ram} GB of RAM per month?"),
    _ex(D, "How do I migrate from {db1} to {db2}?",
        "What's the best way to move my data from {db1} to {db2}?",
        "What are the steps to migrate a database from {db1} to {db2}?",
        "Migrating from {db1} to {db2} - how do I do it?", swap="db1 db2"),
    _howto(D, "back up a {db} database"),
    _howto(D, "check disk usage|on {os}"),
    _ex(D, "How do I schedule a cron job to run every {n_min} minutes?",
        "What's the cron expression for every {n_min} minutes?",
        "Cron syntax to run a job every {n_min} minutes?",
        "How do I make a cron job run every {n_min} minutes?"),
    _howto(D, "open port {port} in the firewall|on {os}"),
    _howto(D, "add a user to the sudo group|on {os}"),
    _ex(D, "How do I edit {conf_path} safely?", "What's the safe way to edit {conf_path}?",
        "How should I go about editing {conf_path}?"),
    _fq(D, "How do I view {log_path} in real time?", "How can I follow {log_path} live?",
        "What's the command to watch {log_path} as it updates?"),
    _whatis(D, "{devops_concept}"),
    _howto(D, "roll back a deployment to version {semver}"),
    _howto(D, "change the timezone|on {os}"),
    _howto(D, "limit a container's CPU usage|in {orch}"),
    _ex(D, "What port does {service} use by default?", "What's the default port for {service}?",
        "Which port does {service} listen on by default?", "Default port of {service}?"),
    _fq(D, "How do I find what's using port {port}?",
        "Which process is listening on port {port}? How do I check?",
        "How can I see what's running on port {port}?",
        "How do I check which program has port {port} open?"),
    _howto(D, "monitor a {db} database|with Prometheus"),
    _howto(D, "set up {web_server} as a reverse proxy for a {framework} app"),
    # --- cooking -------------------------------------------------------------------------------
    _ex(K, "How long should I {cook_method} {cookable}?",
        "How long does it take to {cook_method} {cookable}?",
        "What's the cooking time to {cook_method} {cookable}?",
        "For how long should I {cook_method} {cookable}?"),
    _ex(K, "Give me a recipe for {dish} for {n_people} people.",
        "Can you give me a {dish} recipe that serves {n_people}?",
        "What's a good recipe for {dish} to feed {n_people} people?",
        "I need a {dish} recipe for {n_people} people.", "Recipe for {dish}, serving {n_people}?"),
    _ex(K, "What can I use instead of {ingredient} in {baked}?",
        "What's a good substitute for {ingredient} in {baked}?",
        "What can I replace {ingredient} with in {baked}?",
        "How can I substitute {ingredient} when making {baked}?"),
    _howto(K, "make {dish} [with|without] {equipment}"),
    _ex(K, "How many grams is {n_cups} cups of {dry_ing}?",
        "{n_cups} cups of {dry_ing} - how many grams is that?",
        "Convert {n_cups} cups of {dry_ing} to grams.",
        "How much does {n_cups} cups of {dry_ing} weigh in grams?"),
    _fq(K, "How long should I bake {baked} at {oven_temp}{temp_sym}?",
        "At {oven_temp}{temp_sym}, how long do I bake {baked}?",
        "What's the baking time for {baked} at {oven_temp}{temp_sym}?"),
    _fq(K, "What temperature should I bake {baked} at?",
        "At what temperature should {baked} be baked?",
        "What oven temperature should I use for {baked}?", "What temp do I bake {baked} at?"),
    _fq(K, "Is it safe to eat {leftover} left out for {n_hours} hours?",
        "Can I still eat {leftover} left out for {n_hours} hours?",
        "Is it OK to eat {leftover} that sat out for {n_hours} hours?"),
    _fq(K, "How long does {leftover} last in {storage}?",
        "How long can I keep {leftover} in {storage}?",
        "How long will {leftover} stay good in {storage}?"),
    _howto(K, "make {diet} {dish}"),
    _ex(K, "What wine goes well with {dish}?", "Which wine should I serve with {dish}?",
        "What's a good wine pairing for {dish}?", "What wine pairs well with {dish}?"),
    _ex(K, "Why did my {baked} come out {bake_fail}?", "What makes {baked} turn out {bake_fail}?",
        "My {baked} turned out {bake_fail}. What went wrong?"),
    _howto(K, "season a {pan}"),
    _cmp(K, "baking soda", "baking powder"), _cmp(K, "a latte", "a cappuccino"),
    _cmp(K, "stock", "broth"), _cmp(K, "a yam", "a sweet potato"), _cmp(K, "braising", "stewing"),
    _cmp(K, "bread flour", "all-purpose flour"), _cmp(K, "a frittata", "a quiche"),
    _cmp(K, "sorbet", "sherbet"), _cmp(K, "jam", "jelly"), _cmp(K, "a cobbler", "a crumble"),
    _fq(K, "Can I freeze {freezable}?", "Is it OK to freeze {freezable}?",
        "Can {freezable} be frozen?", "Can you freeze {freezable}?"),
    _howto(K, "cook {grain} in {cooker}"),
    _ex(K, "How many calories are in {n_grams} grams of {food}?",
        "Calories in {n_grams} g of {food}?",
        "What's the calorie count of {n_grams} grams of {food}?",
        "How many calories does {n_grams}g of {food} have?"),
    _ex(K, "What can I make with {food1}, {food2} and {food3}?",
        "I have {food1}, {food2} and {food3}. What can I cook?",
        "Any recipe ideas using {food1}, {food2} and {food3}?",
        "What can I cook with {food2}, {food1} and {food3}?"),
    _howto(K, "keep {herb} fresh"),
    _fq(K, "How do I know when {fruit} is ripe?", "How can I tell if {fruit} is ripe?",
        "What are the signs that {fruit} is ripe?", "How do you tell when {fruit} is ripe?"),
    _rec(K, "{doc_diet} recipes for {meal}"),
    _rec(K, "side dishes to serve with {dish}"),
    # --- travel --------------------------------------------------------------------------------
    _fq(T, "Do citizens of {country1} need a visa to visit {country2}?",
        "Is a visa required for citizens of {country1} traveling to {country2}?",
        "As a citizen of {country1}, do I need a visa for {country2}?", swap="country1 country2"),
    _fq(T, "Do I need a visa to visit {country} as a {demonym} citizen?",
        "As a {demonym} citizen, do I need a visa for {country}?",
        "Do {demonym} citizens need a visa to travel to {country}?"),
    _ex(T, "When is the best time to visit {city}?",
        "What's the best time of year to go to {city}?",
        "When should I visit {city}?", "What time of year is best for visiting {city}?"),
    _ex(T, "What should I pack for a trip to {city} in {month}?",
        "Packing list for {city} in {month}?",
        "What clothes should I bring to {city} in {month}?",
        "What do I need to pack for {city} in {month}?"),
    _ex(T, "Can you plan a {n_days}-day itinerary for {city}?",
        "Plan a {n_days}-day trip to {city} for me.",
        "Give me a {n_days}-day itinerary for {city}.",
        "I have {n_days} days in {city}. Can you plan my itinerary?"),
    _ex(T, "What are the top attractions in {city}?", "What are the must-see sights in {city}?",
        "What are the best things to see in {city}?", "Top sights in {city}?"),
    _fq(T, "How do I get from {airport.0} to {airport.1}?",
        "What's the best way to get from {airport.0} to {airport.1}?",
        "How can I travel from {airport.0} to {airport.1}?",
        "Best way from {airport.0} to {airport.1}?", swap="airport.0 airport.1"),
    _ex(T, "How much should I tip at restaurants in {country}?",
        "What's the tipping etiquette at restaurants in {country}?",
        "How much do people tip in restaurants in {country}?"),
    _fq(T, "Can I bring {carry} in my carry-on?",
        "Am I allowed to take {carry} in my carry-on bag?",
        "Can I pack {carry} in my hand luggage?", "Can I take {carry} in my carry-on?"),
    _fq(T, "What's the checked baggage allowance on {airline}?",
        "How much checked luggage can I bring on {airline}?",
        "What is {airline}'s checked bag allowance?"),
    _fq(T, "How far is {city1} from {city2}?", "What's the distance between {city1} and {city2}?",
        "How far apart are {city1} and {city2}?"),
    _ex(T, "Is {city} safe for tourists at night?",
        "Is it safe to walk around {city} at night as a tourist?",
        "How safe is {city} for tourists at night?"),
    _fq(T, "How do I get a refund for a cancelled {airline} flight?",
        "How can I get my money back for a cancelled {airline} flight?",
        "{airline} cancelled my flight. How do I get a refund?"),
    _ex(T, "What documents do I need to rent a car in {country}?",
        "What do I need to rent a car in {country}?",
        "Which documents are required to rent a car in {country}?"),
    _rec(T, "day trips from {city}"),
    _rec(T, "hotels near {landmark}"),
    _rec(T, "{doc_diet} restaurants in {city}"),
    _rec(T, "things to do in {city} for {travel_aud}"),
    _ex(T, "What's the weather forecast for {city} {rel_day}?",
        "What will the weather be like in {city} {rel_day}?",
        "How's the weather looking in {city} {rel_day}?"),
    _ex(T, "What's the weather usually like in {city} in {month}?",
        "What's the typical weather in {city} in {month}?", "How warm is {city} in {month}?"),
    _fq(T, "How early should I get to the airport for an international flight?",
        "How early should I arrive at the airport for an international flight?",
        "How much time before an international flight should I be at the airport?"),
    _ex(T, "Where should I stay in {city}?", "What's the best area to stay in {city}?",
        "Which neighborhood should I stay in when visiting {city}?"),
    _howto(T, "use public transport|in {city}"),
    _fq(T, "What time does {landmark} open on {weekday}?",
        "When does {landmark} open on {weekday}?",
        "What are {landmark}'s opening hours on {weekday}?"),
    _fq(T, "Is flight {flight_no} on time {flight_day}?",
        "Is flight {flight_no} delayed {flight_day}?",
        "What's the status of flight {flight_no} {flight_day}?"),
    _ex(T, "How many days do I need in {city}?", "How long should I spend in {city}?",
        "What's the ideal number of days to spend in {city}?"),
    _ex(T, "What should I avoid doing in {country} as a tourist?",
        "What are the biggest tourist mistakes to avoid in {country}?",
        "As a tourist, what should I not do in {country}?"),
    _ex(T, "What's the best way to get around {city} on a budget?",
        "How do I get around {city} cheaply?", "What's the cheapest way to get around {city}?"),
    # --- health --------------------------------------------------------------------------------
    _ex(HE, "What are the side effects of {drug}?", "What side effects does {drug} have?",
        "What are common side effects of {drug}?",
        "Does {drug} have side effects, and what are they?"),
    _fq(HE, "Can I take {drug1} with {drug2}?", "Is it safe to take {drug1} and {drug2} together?",
        "Can {drug1} be taken with {drug2}?", "Is it OK to combine {drug1} and {drug2}?"),
    _fq(HE, "What's the maximum daily dose of {drug} for {age_group}?",
        "What is the max daily dose of {drug} for {age_group}?",
        "For {age_group}, what's the maximum amount of {drug} per day?",
        "How much {drug} can {age_group} take in a day at most?"),
    _ex(HE, "What are the symptoms of {cond}?", "What symptoms does {cond} cause?",
        "What are the signs of {cond}?", "How do I know if I have {cond}?"),
    _ex(HE, "How is {cond} treated?", "What's the treatment for {cond}?",
        "How do doctors treat {cond}?",
        "What are the treatment options for {cond}?"),
    _ex(HE, "What causes {symptom} after {trigger}?", "Why do I get {symptom} after {trigger}?",
        "Why do I have {symptom} after {trigger}?"),
    _ex(HE, "How much {nutrient} do {people_group} need per day?",
        "What's the daily {nutrient} requirement for {people_group}?",
        "How much {nutrient} should {people_group} get each day?",
        "Recommended daily {nutrient} intake for {people_group}?"),
    _fq(HE, "How many hours of sleep does a {sleep_age}-year-old need?",
        "How much sleep does a {sleep_age}-year-old need?",
        "How many hours should a {sleep_age}-year-old sleep?"),
    _fq(HE, "Is it normal to have {symptom} after {procedure}?",
        "Is {symptom} after {procedure} normal?",
        "Should I worry about {symptom} after {procedure}?"),
    _ex(HE, "How long does {acute} last?", "How long does {acute} usually last?",
        "How many days does {acute} last?", "What's the typical duration of {acute}?"),
    _ex(HE, "How many calories does {n_minutes} minutes of {exercise} burn?",
        "How many calories do I burn in {n_minutes} minutes of {exercise}?",
        "Calories burned in {n_minutes} minutes of {exercise}?"),
    _ex(HE, "What is a normal {vital} for adults?", "What's a healthy {vital} for an adult?",
        "What range is a normal adult {vital}?"),
    _fq(HE, "Is eating {food} good for people with {cond}?",
        "Is eating {food} good if you have {cond}?", "Should people with {cond} eat {food}?"),
    _ex(HE, "How can I lower my {biomarker} naturally?",
        "What are natural ways to lower {biomarker}?",
        "How do I reduce my {biomarker} without medication?",
        "How can I bring my {biomarker} down naturally?"),
    _ex(HE, "What should I eat before a {workout}?",
        "What's a good thing to eat before a {workout}?",
        "What's the best food to eat before a {workout}?"),
    _fq(HE, "Should I take {supp} [with|without] food?",
        "Is it better to take {supp} [with|without] food?",
        "Do I take {supp} [with|without] food?"),
    _ex(HE, "What does {supp} do for the body?", "What are the benefits of taking {supp}?",
        "How does {supp} help the body?"),
    _fq(HE, "How long after {procedure} can I {post_act}?",
        "When can I {post_act} after {procedure}?",
        "How soon after {procedure} is it OK to {post_act}?"),
    _ex(HE, "What should I do if someone is {emergency}?",
        "How do I help someone who is {emergency}?",
        "What's the first aid for someone who is {emergency}?"),
    _rec(HE, "exercises for {body_goal}"),
    _rec(HE, "foods high in {nutrient}"),
    _ex(HE, "Can {exercise} help with {cond}?", "Does {exercise} help with {cond}?",
        "Is {exercise} good for {cond}?"),
    _ex(HE, "How do I get rid of {symptom} fast?",
        "What's the fastest way to get rid of {symptom}?",
        "How can I quickly get rid of {symptom}?"),
    _ex(HE, "Is it safe to exercise with {symptom}?", "Can I work out with {symptom}?",
        "Should I exercise if I have {symptom}?"),
    # --- finance -------------------------------------------------------------------------------
    _ex(F, "If I invest {money} at {rate} annual interest, how much will I have after {n_years} "
        "years?",
        "How much will {money} grow to in {n_years} years at {rate} interest per year?",
        "What will {money} be worth after {n_years} years at {rate} a year?"),
    _ex(F, "What's the monthly payment on a {money_big} mortgage at {rate} for {n_term} years?",
        "Monthly payment for a {n_term}-year {money_big} mortgage at {rate}?",
        "If I borrow {money_big} for {n_term} years at {rate}, what's my monthly mortgage "
        "payment?"),
    _whatis(F, "{fin_concept}"),
    _cmp(F, "{fin_product1}", "{fin_product2}"),
    _cmp(F, "{loan1}", "{loan2}"),
    _howto(F, "transfer money from {acct1} to {acct2}", swap="acct1 acct2"),
    _ex(F, "How is {income} taxed in {country}?", "How does {country} tax {income}?",
        "What are the tax rules for {income} in {country}?"),
    _fq(F, "What's the {retire} contribution limit for {recent_year}?",
        "How much can I contribute to a {retire} in {recent_year}?",
        "What is the {recent_year} {retire} contribution limit?"),
    _ex(F, "How did {company} stock perform {past_period}?",
        "How did {company}'s stock do {past_period}?",
        "What was {company}'s stock performance {past_period}?"),
    _ex(F, "How much income tax would I pay on a {salary} salary in {country}?",
        "What's the income tax on a {salary} salary in {country}?",
        "If I earn {salary} a year in {country}, how much income tax do I pay?"),
    _howto(F, "dispute a charge with {bank}"),
    _howto(F, "report a lost {bank} card"),
    _howto(F, "increase my credit limit with {bank}"),
    _fq(F, "What happens if I [pay|don't pay] my credit card bill in full?",
        "If I [pay|don't pay] my credit card balance in full, what happens?"),
    _fq(F, "What happens to my credit score if I [close|don't close] my oldest credit card?",
        "If I [close|don't close] my oldest credit card, what happens to my credit score?"),
    _fq(F, "What happens if I [use|don't use] my credit card for a year?",
        "If I [use|don't use] my credit card for a year, what happens?"),
    _ex(F, "Is now a good time to buy {asset}?", "Should I buy {asset} right now?",
        "Is it a good time to invest in {asset}?"),
    _rec(F, "budgeting apps for {budget_user}"),
    _fq(F, "What's the exchange rate from {cur1} to {cur2}?",
        "How many {cur2} do I get for one {cur1}?",
        "What is 1 {cur1} in {cur2}?", "{cur1} to {cur2} exchange rate?", swap="cur1 cur2"),
    _fq(F, "Convert {amount} {cur1} to {cur2}.", "How much is {amount} {cur1} in {cur2}?",
        "What's {amount} {cur1} in {cur2}?", swap="cur1 cur2"),
    _ex(F, "How much should I have saved for retirement by age {age_ret}?",
        "By {age_ret}, how much should I have in retirement savings?",
        "What's a good retirement savings target at {age_ret}?"),
    _ex(F, "How should I invest {money}?", "Where should I invest {money}?",
        "What's the smartest way to invest {money}?"),
    # --- shopping and orders -------------------------------------------------------------------
    _fq(S, "Where is my order {order_id}?", "Can you check the status of order {order_id}?",
        "What's the status of my order {order_id}?", "Track order {order_id}, please.",
        "Any update on my order {order_id}?"),
    _fq(S, "How do I return order {order_id}?",
        "I'd like to return my order {order_id}. How do I do that?",
        "What's the process to return order {order_id}?"),
    _fq(S, "Please cancel my order {order_id}.", "Can you cancel order {order_id}?",
        "I need to cancel order {order_id}.", "How do I cancel my order {order_id}?"),
    _fq(S, "How do I change the shipping address for order {order_id}?",
        "Can I update the delivery address on order {order_id}?",
        "I need to change the address on my order {order_id}."),
    _fq(S, "Is the {product} available in {color}?", "Do you have the {product} in {color}?",
        "Can I get the {product} in {color}?"),
    _fq(S, "Does the {product} come with a charger?", "Is a charger included with the {product}?",
        "Do I get a charger in the box with the {product}?"),
    _ex(S, "What's the best {product_cat} under {price}?",
        "Which {product_cat} under {price} would you recommend?",
        "Best {product_cat} for under {price}?",
        "Recommend a good {product_cat} that costs less than {price}."),
    _fq(S, "How long is the warranty on the {product}?",
        "What warranty does the {product} come with?",
        "How long is the {product} under warranty?"),
    _fq(S, "When will item {sku} be back in stock?", "Any idea when {sku} will be restocked?",
        "When is {sku} expected back in stock?"),
    _fq(S, "Where is my package {tracking}?", "Can you track package {tracking}?",
        "What's the status of tracking number {tracking}?"),
    _fq(S, "Why was I charged {money} for order {order_id}?",
        "I was charged {money} on order {order_id}. Why?",
        "Why does order {order_id} show a charge of {money}?"),
    _cmp(S, "the {phone1}", "the {phone2}"),
    _cmp(S, "the {laptop1}", "the {laptop2}"),
    _fq(S, "Do you ship to {country}?", "Can you deliver to {country}?",
        "Is shipping to {country} available?", "Do you offer delivery to {country}?"),
    _fq(S, "How long does shipping to {country} take?",
        "How many days does delivery to {country} take?", "What's the delivery time to {country}?"),
    _fq(S, "What's your return policy for a {product_cat}?",
        "Can I return a {product_cat}, and how long do I have?",
        "How does returning a {product_cat} work?"),
    _fq(S, "I received the wrong size in order {order_id}. What should I do?",
        "Order {order_id} came in the wrong size. What now?",
        "What do I do if order {order_id} arrived in the wrong size?"),
    _fq(S, "Do you price match {store}?", "Will you match {store}'s price?",
        "Do you offer price matching with {store}?"),
    _fq(S, "Can I change the quantity on order {order_id} to {n_qty}?",
        "Please update order {order_id} to {n_qty} items.",
        "I want {n_qty} units instead on order {order_id}. Can you change it?"),
    _rec(S, "gifts for {gift_for} under {price}"),
    _fq(S, "Why was my card ending in {cardnum} declined?",
        "My card ending in {cardnum} got declined. Why?",
        "Why did the payment with my card ending in {cardnum} fail?"),
    _fq(S, "Can I get a copy of invoice {invoice}?", "Please send me invoice {invoice} again.",
        "Where can I download invoice {invoice}?"),
    _ex(S, "Is the {product} worth buying in {recent_year}?",
        "Should I buy the {product} in {recent_year}?",
        "Is it worth getting the {product} in {recent_year}?"),
    _fq(S, "Is the {product} waterproof?", "Can the {product} get wet?",
        "Will the {product} survive getting wet?"),
    # --- customer support ----------------------------------------------------------------------
    _howto(SU, "reset my {app} password"),
    _howto(SU, "delete my {app} account"),
    _fq(SU, "Why can't I log in to my {app} account?", "I can't log in to my {app} account. Why?",
        "{app} won't let me log in. What's wrong?"),
    _fq(SU, "How do I change the {account_field} on my {app} account?",
        "How can I update my {app} {account_field}?",
        "Where do I change my {account_field} in {app}?"),
    _howto(SU, "cancel my {sub} subscription"),
    _fq(SU, "My {device} won't turn on. What should I do?",
        "What do I do if my {device} won't turn on?",
        "How do I fix a {device} that won't turn on?"),
    _howto(SU, "connect my {device} to {computer}"),
    _fq(SU, "What does error code {ecode} mean on my {appliance}?",
        "My {appliance} shows error {ecode}. What does it mean?",
        "{appliance} error {ecode} - what does that mean?"),
    _fq(SU, "How do I fix Windows error {win_err}?",
        "I keep getting error {win_err} on Windows. How do I fix it?",
        "What's the fix for Windows error code {win_err}?"),
    _fq(SU, "What does OBD code {obd} mean?", "My car is showing code {obd}. What does that mean?",
        "What does the {obd} trouble code mean?",
        "Check engine light with code {obd} - what's wrong?"),
    _fq(SU, "How do I talk to a human at {company} customer support?",
        "How can I reach a real person at {company} support?",
        "What's the best way to get a human on the line at {company}?"),
    _fq(SU, "{app} keeps crashing on my {platform}. How do I fix it?",
        "How do I stop {app} from crashing on my {platform}?",
        "What can I do about {app} crashing all the time on my {platform}?"),
    _howto(SU, "enable two-factor authentication on {app}"),
    _fq(SU, "How do I get a refund for {sub}?", "Can I get my money back for {sub}?",
        "How do I request a refund for my {sub} subscription?"),
    _fq(SU, "Is there any update on ticket {ticket_id}?",
        "What's the status of support ticket {ticket_id}?", "Any news on my ticket {ticket_id}?",
        "Can you update me on ticket {ticket_id}?"),
    _howto(SU, "speed up my {platform}"),
    _fq(SU, "How do I move my data from {phone_kind1} to {phone_kind2}?",
        "What's the best way to transfer everything from {phone_kind1} to {phone_kind2}?",
        "How can I switch from {phone_kind1} to {phone_kind2} without losing data?",
        swap="phone_kind1 phone_kind2"),
    _fq(SU, "How do I transfer my files from {computer1} to {computer2}?",
        "What's the easiest way to move files from {computer1} to {computer2}?",
        "How can I copy all my files from {computer1} to {computer2}?",
        swap="computer1 computer2"),
    _howto(SU, "turn off notifications for {app}|on my {platform}"),
    _fq(SU, "Why is my {device} so slow?", "What makes my {device} so slow?",
        "Why does my {device} run so slowly?"),
    _howto(SU, "factory reset my {device}"),
    _fq(SU, "My {app} account was hacked. What should I do?",
        "What do I do if my {app} account gets hacked?",
        "Someone hacked my {app} account - what now?"),
    _howto(SU, "unsubscribe from {store} emails"),
    # --- science -------------------------------------------------------------------------------
    _whatis(SC, "{sci_concept}"),
    _ex(SC, "Why is the sky blue?", "What makes the sky blue?", "Why does the sky look blue?"),
    _ex(SC, "Why is the ocean salty?", "What makes the ocean salty?", "Why is seawater salty?"),
    _ex(SC, "Why do we have seasons?", "What causes the seasons?", "Why does Earth have seasons?"),
    _ex(SC, "Why do leaves change color in the fall?", "What makes leaves change color in autumn?",
        "Why do leaves turn color in the fall?"),
    _ex(SC, "Why do we dream?", "What is the purpose of dreaming?", "Why do people dream?"),
    _ex(SC, "Why do cats purr?", "What makes cats purr?", "Why does a cat purr?"),
    _ex(SC, "Why do onions make you cry?", "What makes you cry when cutting onions?",
        "Why do onions make your eyes water?"),
    _ex(SC, "Why does ice float on water?", "What makes ice float?", "Why does ice float?"),
    _ex(SC, "Why do we yawn?", "What causes yawning?", "Why do people yawn?"),
    _ex(SC, "Why can I see the Moon during the day?",
        "How come we can see the Moon in the daytime?", "Why is the Moon visible during the day?"),
    _ex(SC, "Why do we get goosebumps?", "What causes goosebumps?",
        "Why do humans get goosebumps?"),
    _ex(SC, "Why does bread go stale?", "What makes bread go stale?", "Why does bread get stale?"),
    _ex(SC, "Why is glass transparent?", "What makes glass transparent?",
        "Why can you see through glass?"),
    _ex(SC, "Why do planes leave white trails in the sky?", "Why do airplanes leave contrails?",
        "What are the white lines planes leave in the sky?"),
    _ex(SC, "Why does the Moon have phases?", "What causes the phases of the Moon?",
        "Why does the Moon change shape?"),
    _ex(SC, "Why is Mars red?", "What makes Mars look red?", "Why does Mars appear red?"),
    _ex(SC, "Why do fingers wrinkle in water?", "What makes fingers get wrinkly in the bath?",
        "Why do our fingers prune in water?"),
    _ex(SC, "Why do we get hiccups?", "What causes hiccups?", "Why do people hiccup?"),
    _ex(SC, "Why does metal feel colder than wood?",
        "What makes metal feel colder than wood at the same temperature?",
        "Why does metal feel colder to the touch than wood?"),
    _ex(SC, "Why do we need sleep?", "What is sleep for?", "Why do humans need to sleep?"),
    _ex(SC, "Why are sunsets red?", "What makes sunsets red?",
        "Why does the sky turn red at sunset?"),
    _ex(SC, "Why do stars twinkle?", "What makes stars twinkle?", "Why do the stars twinkle?"),
    _ex(SC, "Why do birds migrate?", "What makes birds migrate?",
        "Why do birds fly south for the winter?"),
    _ex(SC, "Why is blood red?", "What makes blood red?", "Why is our blood red?"),
    _ex(SC, "How do vaccines work?", "How does a vaccine protect you?",
        "What do vaccines do in the body?"),
    _ex(SC, "How do airplanes stay in the air?", "How do planes fly?",
        "What keeps an airplane in the air?"),
    _ex(SC, "How does Wi-Fi work?", "How does wireless internet work?",
        "Can you explain how Wi-Fi works?"),
    _ex(SC, "How does GPS work?", "How does GPS know where I am?",
        "Can you explain how GPS works?"),
    _ex(SC, "How do noise-cancelling headphones work?",
        "How does noise cancellation in headphones work?",
        "What makes noise-cancelling headphones work?"),
    _ex(SC, "How does a microwave oven heat food?", "How do microwaves heat food?",
        "How does a microwave work?"),
    _ex(SC, "How do solar panels work?", "How do solar panels make electricity?",
        "How does a solar panel generate power?"),
    _ex(SC, "How do bees make honey?", "How is honey made by bees?",
        "What is the process bees use to make honey?"),
    _ex(SC, "How far is {planet} from the Sun?",
        "What's the distance between {planet} and the Sun?",
        "How far away from the Sun is {planet}?"),
    _fq(SC, "How many moons does {planet_moons} have?",
        "What's the number of moons orbiting {planet_moons}?",
        "How many natural satellites does {planet_moons} have?"),
    _fq(SC, "What is the atomic number of {element}?", "What's the atomic number of {element}?",
        "Which atomic number does {element} have?"),
    _fq(SC, "What is the boiling point of {element}?", "At what temperature does {element} boil?",
        "What temperature does {element} boil at?"),
    _fq(SC, "What is the melting point of {element}?", "At what temperature does {element} melt?",
        "What temperature does {element} melt at?"),
    _fq(SC, "At what temperature does water boil at {n_alt} meters?",
        "What is the boiling point of water at an altitude of {n_alt} meters?",
        "At {n_alt} m above sea level, what temperature does water boil at?"),
    _ex(SC, "How does {organ} work?", "What does {organ} do?", "Can you explain how {organ} works?",
        "What's the function of {organ}?"),
    _fq(SC, "How fast does {wave} travel in {medium}?", "What is the speed of {wave} in {medium}?",
        "At what speed does {wave} move through {medium}?"),
    _ex(SC, "How long do {animals} live?", "What's the lifespan of {animals}?",
        "What is the average lifespan of {animals}?"),
    _ex(SC, "What do {animals} eat?", "What is the diet of {animals}?",
        "What kind of food do {animals} eat?"),
    _ex(SC, "Where do {animals} live?", "What is the natural habitat of {animals}?",
        "What kind of habitat do {animals} live in?"),
    _ex(SC, "How do {animals} communicate?", "How do {animals} talk to each other?",
        "In what ways do {animals} communicate?"),
    _fq(SC, "What is the half-life of {isotope}?", "What's the half-life of {isotope}?",
        "How long is the half-life of {isotope}?"),
    _cmp(SC, "mitosis", "meiosis"), _cmp(SC, "weather", "climate"),
    _cmp(SC, "a virus", "a bacterium"), _cmp(SC, "nuclear fission", "nuclear fusion"),
    _cmp(SC, "speed", "velocity"), _cmp(SC, "mass", "weight"), _cmp(SC, "DNA", "RNA"),
    _cmp(SC, "an asteroid", "a comet"), _cmp(SC, "a meteor", "a meteorite"),
    _cmp(SC, "an element", "a compound"), _cmp(SC, "heat", "temperature"),
    _cmp(SC, "a hypothesis", "a theory"), _cmp(SC, "an alligator", "a crocodile"),
    _cmp(SC, "a moth", "a butterfly"), _cmp(SC, "a frog", "a toad"), _cmp(SC, "a rabbit", "a hare"),
    _cmp(SC, "a tornado", "a hurricane"), _cmp(SC, "an ape", "a monkey"),
    _ex(SC, "What would happen if {hypo}?", "If {hypo}, what would happen?",
        "Imagine {hypo}. What would happen?"),
    _fq(SC, "What is the chemical formula for {compound}?",
        "What's the chemical formula of {compound}?", "Chemical formula for {compound}?",
        "What is {compound}'s chemical formula?"),
    _fq(SC, "Who invented {invention}?", "Who was {invention} invented by?",
        "By whom was {invention} invented?", "Who came up with {invention}?",
        "Who is credited with inventing {invention}?"),
    _fq(SC, "Who discovered {discovery}?", "Who was {discovery} discovered by?",
        "By whom was {discovery} discovered?", "Who is credited with discovering {discovery}?"),
    _rec(SC, "documentaries about {sci_doc}"),
    # --- history -------------------------------------------------------------------------------
    _ex(HI, "What caused {hist_event}?", "What were the causes of {hist_event}?",
        "Why did {hist_event} happen?", "What led to {hist_event}?"),
    _ex(HI, "What were the consequences of {hist_event}?", "What were the effects of {hist_event}?",
        "What impact did {hist_event} have?"),
    _fq(HI, "When did {long_event} begin?", "What year did {long_event} start?",
        "In what year did {long_event} begin?", "When did {long_event} start?"),
    _ex(HI, "Who was {person_hist}?", "Can you tell me who {person_hist} was?",
        "What was {person_hist} known for?", "Why is {person_hist} famous?"),
    _fq(HI, "Who was the {ordinal} president of the United States?",
        "Who was the {ordinal} US president?", "Who served as the {ordinal} president of the US?"),
    _fq(HI, "Who was the leader of {country} in {hist_year}?", "Who led {country} in {hist_year}?",
        "In {hist_year}, who was the leader of {country}?"),
    _ex(HI, "What was daily life like in {empire}?", "How did ordinary people live in {empire}?",
        "What was everyday life like for people in {empire}?"),
    _ex(HI, "Why did {empire} fall?", "What led to the fall of {empire}?",
        "Why did {empire} collapse?",
        "What caused the collapse of {empire}?"),
    _ex(HI, "What happened in {country} in {hist_year}?",
        "What were the major events in {country} in {hist_year}?",
        "What major events took place in {country} in {hist_year}?"),
    _fq(HI, "Who won {battle}?", "Which side won {battle}?", "Who was victorious at {battle}?"),
    _fq(HI, "How did {person_hist} die?", "What was the cause of {person_hist}'s death?",
        "What caused the death of {person_hist}?"),
    _ex(HI, "What was the significance of {hist_doc}?", "Why was {hist_doc} important?",
        "Why is {hist_doc} historically significant?"),
    _fq(HI, "Was {empire1} larger than {empire2}?", "Was {empire1} bigger than {empire2}?",
        "Did {empire1} cover more land than {empire2}?", swap="empire1 empire2"),
    _fq(HI, "Did {person_hist1} live before {person_hist2}?",
        "Was {person_hist1} around before {person_hist2}?",
        "Did {person_hist1} come before {person_hist2}?", swap="person_hist1 person_hist2"),
    _ex(HI, "What were the {decade} known for?", "What defined the {decade}?",
        "What were the {decade} famous for?"),
    _ex(HI, "What did ordinary people eat in {country} in {century}?",
        "What was the typical diet in {country} in {century}?",
        "In {century}, what did common people in {country} eat?"),
    _fq(HI, "Who painted {painting}?", "Who was {painting} painted by?",
        "Which artist painted {painting}?", "{painting} was painted by which artist?"),
    _fq(HI, "Who built {building}?", "Who was {building} built by?",
        "By whom was {building} built?",
        "{building} was built by whom?"),
    _fq(HI, "Who directed {film}?", "Who was {film} directed by?", "Who is the director of {film}?",
        "{film} was directed by whom?"),
    _rec(HI, "books about {hist_event}"),
    _ex(HI, "What was the population of {hist_city} in {century}?",
        "How many people lived in {hist_city} in {century}?",
        "How big was the population of {hist_city} in {century}?"),
    _fq(HI, "Who {era.0} the leader of {country} {era.1}?",
        "Who {era.0} in charge of {country} {era.1}?",
        "{era.1}, who {era.0} the leader of {country}?"),
    # --- law -----------------------------------------------------------------------------------
    _fq(L, "Can my landlord {ll_action} without notice in {state}?",
        "Is my landlord allowed to {ll_action} without notice in {state}?",
        "In {state}, can a landlord {ll_action} without giving notice?"),
    _ex(L, "How long does a landlord have to return a security deposit in {state}?",
        "In {state}, how many days does a landlord have to return a deposit?",
        "What's the deadline for returning a security deposit in {state}?"),
    _fq(L, "Can a {rel.0} sue a {rel.1} for {claim}?",
        "Is it possible for a {rel.0} to sue a {rel.1} for {claim}?",
        "Can a {rel.0} take a {rel.1} to court for {claim}?", swap="rel.0 rel.1"),
    _whatis(L, "{legal_concept}"),
    _cmp(L, "{legal_pair.0}", "{legal_pair.1}"),
    _ex(L, "What is the statute of limitations for {offense} in {state}?",
        "In {state}, what's the statute of limitations on {offense}?",
        "What's the time limit to sue for {offense} in {state}?"),
    _fq(L, "Do I need a lawyer to {legal_task}?", "Is a lawyer required to {legal_task}?",
        "Do I have to hire a lawyer to {legal_task}?"),
    _fq(L, "Is it legal to {act.0} in {place}?", "Is {act.1} legal in {place}?",
        "Is {act.1} allowed in {place}?", "Can I legally {act.0} in {place}?"),
    _howto(L, "{legal_proc}|in {state}"),
    _ex(L, "What are my rights if I'm {situation}?", "What rights do I have if I'm {situation}?",
        "If I'm {situation}, what are my rights?"),
    _fq(L, "Can my employer {emp_action}?", "Is my employer allowed to {emp_action}?",
        "Is it legal for my employer to {emp_action}?"),
    _fq(L, "Can I be fired for {fire_reason} in {state}?",
        "Can my employer fire me for {fire_reason} in {state}?",
        "Is it legal to fire someone for {fire_reason} in {state}?"),
    _howto(L, "file a complaint against {complaint_target}"),
    _ex(L, "What happens if I break my lease early in {state}?",
        "What are the consequences of breaking a lease early in {state}?",
        "If I break my lease early in {state}, what happens?"),
    _fq(L, "How much does it cost to {legal_task} in {state}?",
        "What's the cost to {legal_task} in {state}?",
        "How expensive is it to {legal_task} in {state}?"),
    _ex(L, "What should I do after a car accident in {state}?",
        "What steps should I take after a car accident in {state}?",
        "I was in a car accident in {state}. What should I do now?"),
    _fq(L, "Can a minor {minor_act} in {state}?", "Is a minor allowed to {minor_act} in {state}?",
        "Can someone under 18 {minor_act} in {state}?"),
    # --- pets ----------------------------------------------------------------------------------
    _fq(PE, "Can {pet.1} eat {pet_food}?", "Is it safe for {pet.1} to eat {pet_food}?",
        "Can I give {pet_food} to my {pet.0}?", "Is it OK to feed my {pet.0} {pet_food}?"),
    _ex(PE, "How much food does a {n_kg} kg {breed} need per day?",
        "How much should I feed my {n_kg} kg {breed} each day?",
        "Daily food amount for a {n_kg} kg {breed}?"),
    _howto(PE, "teach my {breed} to {trick}"),
    _fq(PE, "Why does my dog [always|never] {dog_act}?",
        "What makes my dog [always|never] {dog_act}?",
        "My dog [always|never] seems to {dog_act}. Why?"),
    _ex(PE, "Why does my cat {cat_act}?", "What makes my cat {cat_act}?",
        "Why is it that my cat likes to {cat_act}?"),
    _ex(PE, "What vaccines does a {vacc_pet} need?", "Which vaccinations does my {vacc_pet} need?",
        "What shots should my {vacc_pet} get?"),
    _ex(PE, "What's the average lifespan of a {breed}?", "How long does a {breed} usually live?",
        "How many years does a {breed} live on average?"),
    _cmp(PE, "a {breed1}", "a {breed2}"),
    _ex(PE, "Is a {breed} good for {owner_type}?",
        "Would a {breed} be a good fit for {owner_type}?",
        "Is a {breed} a good choice for {owner_type}?"),
    _fq(PE, "How often should I {care} my {pet_kind}?",
        "How frequently should I {care} my {pet_kind}?",
        "How often do I need to {care} my {pet_kind}?"),
    _fq(PE, "My {pet_kind} ate {toxic}. What should I do?",
        "What should I do if my {pet_kind} ate {toxic}?",
        "Help, my {pet_kind} just ate {toxic}! What do I do?"),
    _fq(PE, "My {n_kg} kg dog ate {n_grams} grams of dark chocolate. Is that dangerous?",
        "Is {n_grams} g of dark chocolate dangerous for a {n_kg} kg dog?",
        "How dangerous is it if a {n_kg} kg dog eats {n_grams} grams of dark chocolate?"),
    _ex(PE, "What temperature should a {reptile} tank be?",
        "What's the right tank temperature for a {reptile}?",
        "How warm should I keep my {reptile}'s enclosure?"),
    _fq(PE, "How do I introduce a new {pet_a1} to my {pet_a2}?",
        "What's the best way to introduce a new {pet_a1} to my {pet_a2}?",
        "Any tips for introducing a new {pet_a1} to my {pet_a2}?", swap="pet_a1 pet_a2"),
    _rec(PE, "dog breeds for {owner_type}"),
    _rec(PE, "toys for {pet.1}"),
    _ex(PE, "How do I potty train a {breed} puppy?",
        "What's the best way to house-train a {breed} puppy?",
        "How can I toilet train my {breed} puppy?"),
    _ex(PE, "Why is my {pet_kind} {pet_symptom}?",
        "What could make my {pet_kind} start {pet_symptom}?",
        "My {pet_kind} is {pet_symptom}. Why?"),
    _ex(PE, "How much exercise does a {breed} need?",
        "How much daily exercise does a {breed} need?",
        "How active does a {breed} need to be each day?"),
    # --- sports --------------------------------------------------------------------------------
    _fq(SP, "Who won {event} in {event_year}?", "Who was the winner of {event} in {event_year}?",
        "In {event_year}, who won {event}?"),
    _fq(SP, "Who won the {wc_year} World Cup?", "Which country won the World Cup in {wc_year}?",
        "Who were the World Cup champions in {wc_year}?"),
    _ex(SP, "What are the rules of {sport}?", "How do you play {sport}?",
        "Can you explain the rules of {sport}?", "How does {sport} work?"),
    _fq(SP, "How many players are on a {team_sport} team?",
        "How many players does a {team_sport} team have?",
        "What's the number of players on a {team_sport} team?"),
    _fq(SP, "Who is the all-time leading scorer for {team}?",
        "Who's the top scorer in {team} history?",
        "Who has scored the most for {team} of all time?"),
    _fq(SP, "When do {team} play next?", "When is {team}'s next game?",
        "What's the date of {team}'s next game?"),
    _fq(SP, "What was the score in {team}'s last game?", "How did {team} do in their last game?",
        "What was the final score of {team}'s most recent game?"),
    _howto(SP, "improve my {skill}"),
    _fq(SP, "Is {footballer1} better than {footballer2}?",
        "Is {footballer1} a better player than {footballer2}?",
        "Was {footballer1} better than {footballer2}?", swap="footballer1 footballer2"),
    _fq(SP, "Is {baller1} better than {baller2}?", "Is {baller1} a better player than {baller2}?",
        "Was {baller1} better than {baller2}?", swap="baller1 baller2"),
    _fq(SP, "Is {tennis1} better than {tennis2}?", "Is {tennis1} a better player than {tennis2}?",
        "Was {tennis1} better than {tennis2}?", swap="tennis1 tennis2"),
    _fq(SP, "How many Grand Slams has {tennis} won?",
        "How many Grand Slam titles does {tennis} have?",
        "What's {tennis}'s Grand Slam count?"),
    _fq(SP, "How many NBA championships did {baller} win?", "How many rings does {baller} have?",
        "How many NBA titles did {baller} win?"),
    _fq(SP, "How many Ballon d'Or awards has {footballer} won?",
        "How many times has {footballer} won the Ballon d'Or?",
        "What's {footballer}'s Ballon d'Or count?"),
    _ex(SP, "What is a good {race} time for a {runner_level}?",
        "What's a decent {race} time for a {runner_level}?",
        "For a {runner_level}, what's a good {race} time?"),
    _ex(SP, "How do I train for a {race} in {n_weeks} weeks?",
        "What's a good {n_weeks}-week training plan for a {race}?",
        "Can you give me a {n_weeks}-week {race} training plan?"),
    _ex(SP, "What muscles does the {move} work?", "Which muscles are worked by the {move}?",
        "What muscle groups does the {move} target?"),
    _fq(SP, "Who holds the world record in the {sex_adj} {dist_m} meters?",
        "Who has the {sex_adj} {dist_m}m world record?",
        "Who is the world record holder in the {sex_adj} {dist_m} meters?"),
    _rec(SP, "{sport} drills for {sport_level}"),
    _ex(SP, "How do I get better at {sport}?", "What's the best way to improve at {sport}?",
        "How can I improve my {sport} game?"),
    _ex(SP, "What equipment do I need to start {sport}?",
        "What gear do I need to get into {sport}?",
        "What do I need to buy to get started with {sport}?"),
    _fq(SP, "How long is a {team_sport} game?", "How long does a {team_sport} match last?",
        "What's the duration of a {team_sport} game?"),
    # --- math ----------------------------------------------------------------------------------
    _fq(M, "What is {pct} of {n_big}?", "What's {pct} of {n_big}?", "Calculate {pct} of {n_big}.",
        "How much is {pct} of {n_big}?"),
    _fq(M, "What percentage of {n_big} is {n_mul}?", "{n_mul} is what percent of {n_big}?",
        "What percent of {n_big} is {n_mul}?"),
    _fq(M, "What's the derivative of {poly}?", "Differentiate {poly}.", "What is d/dx of {poly}?",
        "Find the derivative of {poly}."),
    _fq(M, "What's the derivative of {fn}?", "Differentiate {fn}.", "What is d/dx of {fn}?",
        "Find the derivative of {fn}."),
    _fq(M, "What is the integral of {fn}?", "Integrate {fn}.", "What's the antiderivative of {fn}?",
        "Find the integral of {fn}."),
    _fq(M, "Solve {eq} for x.", "What is x if {eq}?", "How do I solve {eq}?", "Find x: {eq}"),
    _fq(M, "What is {n_mul1} times {n_mul2}?", "What's {n_mul1} multiplied by {n_mul2}?",
        "Calculate {n_mul1} x {n_mul2}.", "What is {n_mul2} times {n_mul1}?"),
    _fq(M, "What is {n_mul1} divided by {n_mul2}?", "What's {n_mul1} / {n_mul2}?",
        "Divide {n_mul1} by {n_mul2}.", swap="n_mul1 n_mul2"),
    _fq(M, "What is the square root of {n_sq}?", "What's the square root of {n_sq}?",
        "Calculate the square root of {n_sq}.", "sqrt({n_sq}) = ?"),
    _ex(M, "How do I calculate the area of a {shape}?",
        "What's the formula for the area of a {shape}?",
        "How do you find the area of a {shape}?"),
    _ex(M, "How do I calculate the volume of a {solid}?",
        "What's the formula for the volume of a {solid}?",
        "How do you find the volume of a {solid}?"),
    _fq(M, "What is the area of a circle with a radius of {n_small} {short_unit}?",
        "Area of a circle with a {n_small} {short_unit} radius?",
        "If a circle has a radius of {n_small} {short_unit}, what is its area?"),
    _fq(M, "What is the probability of rolling a total of {dice} with two dice?",
        "What are the odds of rolling a {dice} with two dice?",
        "If I roll two dice, what's the chance the sum is {dice}?"),
    _fq(M, "What are the prime factors of {n_factor}?",
        "What's the prime factorization of {n_factor}?",
        "Factor {n_factor} into primes."),
    _fq(M, "Convert {n_big} to {base}.", "What is {n_big} in {base}?",
        "How do I write {n_big} in {base}?"),
    _ex(M, "What's the formula for {math_concept}?", "What is the formula for {math_concept}?",
        "Can you give me the formula for {math_concept}?"),
    _whatis(M, "{math_topic}"),
    _fq(M, "In how many ways can {n_arrange} people sit in a row?",
        "How many ways can {n_arrange} people be arranged in a line?",
        "How many different ways can {n_arrange} people line up?"),
    _fq(M, "What is {n_fact} factorial?", "What's {n_fact}!?", "Calculate {n_fact} factorial."),
    _fq(M, "What is {frac1} + {frac2}?", "What's {frac1} plus {frac2}?", "Add {frac1} and {frac2}.",
        "What do you get when you add {frac1} and {frac2}?"),
    _fq(M, "What is {n_conv} {len_unit1} in {len_unit2}?",
        "Convert {n_conv} {len_unit1} to {len_unit2}.",
        "How many {len_unit2} is {n_conv} {len_unit1}?", swap="len_unit1 len_unit2"),
    _fq(M, "What is {n_conv} {mass_unit1} in {mass_unit2}?",
        "Convert {n_conv} {mass_unit1} to {mass_unit2}.",
        "How many {mass_unit2} is {n_conv} {mass_unit1}?", swap="mass_unit1 mass_unit2"),
    _fq(M, "What is {n_conv} {vol_unit1} in {vol_unit2}?",
        "Convert {n_conv} {vol_unit1} to {vol_unit2}.",
        "How many {vol_unit2} is {n_conv} {vol_unit1}?", swap="vol_unit1 vol_unit2"),
    _fq(M, "What is {temp_val} degrees {temp_unit1} in {temp_unit2}?",
        "Convert {temp_val} degrees {temp_unit1} to {temp_unit2}.",
        "{temp_val} degrees {temp_unit1} in {temp_unit2}?", swap="temp_unit1 temp_unit2"),
    _fq(M, "How long does it take to drive {n_big} {du.0} at {n_speed} {du.1}?",
        "If I drive {n_big} {du.0} at {n_speed} {du.1}, how long will it take?",
        "Travel time for {n_big} {du.0} at {n_speed} {du.1}?"),
    _rec(M, "resources to learn {math_subject}"),
    _fq(M, "What is the least common multiple of {n_mul1} and {n_mul2}?",
        "What's the LCM of {n_mul1} and {n_mul2}?",
        "Find the lowest common multiple of {n_mul1} and {n_mul2}."),
    _fq(M, "What is the greatest common divisor of {n_mul1} and {n_mul2}?",
        "What's the GCD of {n_mul1} and {n_mul2}?",
        "Find the greatest common factor of {n_mul1} and {n_mul2}."),
    # --- writing help --------------------------------------------------------------------------
    _ex(W, "Write a cover letter for a {job} position.",
        "Can you write a cover letter for a {job} job?",
        "Help me write a cover letter for a {job} role.",
        "I need a cover letter for a {job} position."),
    _ex(W, "Write a {tone} email to {recipient} about {email_topic}.",
        "Can you draft a {tone} email to {recipient} about {email_topic}?",
        "Help me write a {tone} email to {recipient} regarding {email_topic}.",
        "Draft a {tone} email for {recipient} about {email_topic}."),
    _ex(W, "Write a {poem_form} about {poem_topic}.",
        "Can you write me a {poem_form} about {poem_topic}?",
        "Compose a {poem_form} about {poem_topic}.", "I'd like a {poem_form} about {poem_topic}."),
    _ex(W, "Summarize {book.0} in {length}.", "Can you summarize {book.0} in {length}?",
        "Give me a summary of {book.0} in {length}."),
    _fq(W, "Who wrote {book.0}?", "Who is the author of {book.0}?", "Who was {book.0} written by?",
        "{book.0} was written by whom?"),
    _ex(W, "What's the difference between '{confusable.0}' and '{confusable.1}'?",
        "When should I use '{confusable.0}' vs '{confusable.1}'?",
        "How do I know whether to use '{confusable.0}' or '{confusable.1}'?"),
    _ex(W, "Translate '{phrase}' into {tgt_lang}.", "How do you say '{phrase}' in {tgt_lang}?",
        "What is '{phrase}' in {tgt_lang}?", "Can you translate '{phrase}' to {tgt_lang}?"),
    _ex(W, "What's the hardest part of learning {hlang2} for a native {hlang1} speaker?",
        "As a native {hlang1} speaker, what's hardest about learning {hlang2}?",
        "For native {hlang1} speakers, what's the most difficult part of learning {hlang2}?",
        swap="hlang1 hlang2"),
    _ex(W, "Give me {n_titles} title ideas for a blog post about {para_topic}.",
        "Suggest {n_titles} blog post titles about {para_topic}.",
        "Can you come up with {n_titles} titles for a blog post on {para_topic}?"),
    _ex(W, "Rewrite this sentence in a {tone} tone: \"{sentence}\"",
        "Can you make this sound {tone}? \"{sentence}\"",
        "Rephrase this in a {tone} tone: \"{sentence}\""),
    _howto(W, "write a good {piece}"),
    _ex(W, "Write a {n_words}-word story about {story_topic}.",
        "Can you write a story about {story_topic} in {n_words} words?",
        "Give me a {n_words}-word short story about {story_topic}."),
    _ex(W, "What's another word for '{syn_word}'?", "What is a synonym for '{syn_word}'?",
        "Give me a synonym for '{syn_word}'.", "What's a different word for '{syn_word}'?"),
    _ex(W, "Write a short speech for {occasion}.", "Can you write a short speech for {occasion}?",
        "Help me write a short speech for {occasion}."),
    _ex(W, "Write a product description for the {product} in {n_words} words.",
        "Can you write a {n_words}-word product description for the {product}?",
        "I need a {n_words}-word description of the {product} for my store."),
    _ex(W, "{text_task.0}: \"{sentence}\"", "Please {text_task.1}: \"{sentence}\"",
        "{text_task.0}, please: \"{sentence}\""),
    _ex(W, "How do I cite {source_type} in {cite_style}?",
        "What's the {cite_style} citation format for {source_type}?",
        "How should I cite {source_type} using {cite_style}?"),
    _rec(W, "{genre} books for {reader}"),
    _ex(W, "What's a good opening line for a {novel_genre} novel?",
        "Can you give me an opening line for a {novel_genre} novel?",
        "Suggest a first line for a {novel_genre} novel."),
    _ex(W, "Explain {sci_concept} to {explain_aud}.",
        "How would you explain {sci_concept} to {explain_aud}?",
        "Can you explain {sci_concept} so that {explain_aud} would understand?"),
    _ex(W, "Give me a {depth} overview of {hist_event}.",
        "Can you give me a {depth} overview of {hist_event}?",
        "I'd like a {depth} overview of {hist_event}."),
    # --- questions with a polarity group, across domains ----------------------------------------
    _howto(P, "install {pkg} [with|without] admin rights"),
    _howto(P, "push to GitHub [with|without] a password"),
    _howto(P, "unit test {lang} code [with|without] mocks"),
    _howto(D, "run a Docker container [as root|without root]"),
    _howto(D, "SSH into a server [with|without] a password"),
    _howto(D, "deploy a {framework} app to {cloud} [with|without] a load balancer"),
    _howto(K, "make {baked} [with|without] {ingredient}"),
    _ex(K, "Which {food_cat} are [safe|not safe] to eat raw?",
        "What {food_cat} [can|can't] you eat raw?", "Which {food_cat} [can|can't] be eaten raw?"),
    _ex(K, "What foods should I [eat|not eat] before bed?",
        "Which foods should I [eat|not eat] before going to sleep?"),
    _fq(T, "Can I travel to {country} [with|without] a visa?",
        "Is it possible to travel to {country} [with|without] a visa?",
        "Can I visit {country} [with|without] a visa?"),
    _fq(T, "Can I enter {country} [with|without] a return ticket?",
        "Will {country} let me in [with|without] a return ticket?",
        "Is it possible to enter {country} [with|without] a return ticket?"),
    _ex(T, "Which countries can {demonym} citizens visit [with|without] a visa?",
        "What countries can {demonym} passport holders enter [with|without] a visa?",
        "Where can {demonym} citizens travel [with|without] a visa?"),
    _ex(T, "What should I [do|not do] in {city}?",
        "What are the things [to do|not to do] in {city}?",
        "What should tourists [do|not do] in {city}?"),
    _fq(HE, "What happens if I [take|don't take] {drug} every day?",
        "If I [take|don't take] {drug} every day, what happens?",
        "What happens to my body if I [take|don't take] {drug} daily?"),
    _fq(HE, "What happens if you [eat|don't eat] for {n_days} days?",
        "If you [eat|don't eat] for {n_days} days, what happens to your body?",
        "What happens to the body if you [eat|don't eat] for {n_days} days?"),
    _fq(F, "Can I get a mortgage [with|without] a down payment?",
        "Is it possible to get a mortgage [with|without] a down payment?",
        "Can I buy a house [with|without] a down payment?"),
    _fq(F, "Can I open a bank account in {country} [with|without] a residence permit?",
        "Is it possible to open a bank account in {country} [with|without] a residence permit?",
        "Will a bank in {country} let me open an account [with|without] a residence permit?"),
    _ex(F, "Which expenses are [tax-deductible|not tax-deductible] for freelancers in {country}?",
        "What expenses [can|can't] freelancers deduct in {country}?",
        "As a freelancer in {country}, which expenses [can|can't] I deduct?"),
    _fq(S, "Can I return a {product_cat} [with|without] the receipt?",
        "Is it possible to return a {product_cat} [with|without] a receipt?",
        "Will you accept a returned {product_cat} [with|without] the receipt?"),
    _fq(S, "Can I return a {product_cat} [in|without] the original box?",
        "Will you take back a {product_cat} [in|without] its original packaging?",
        "Is it possible to return a {product_cat} [in|without] the original box?"),
    _howto(SU, "reset my {app} password [with|without] access to my email"),
    _howto(SU, "log in to {app} [with|without] my phone"),
    _ex(SC, "Which animals [can|can't] see in color?",
        "What animals are [able|unable] to see color?",
        "Which animals [can|cannot] see colors?"),
    _ex(SC, "Which planets [have|don't have] rings?", "What planets [have|lack] rings?",
        "Which of the planets [have|don't have] rings?"),
    _ex(SC, "Which metals are [magnetic|not magnetic]?", "What metals [are|aren't] magnetic?",
        "Which metals [are attracted|aren't attracted] to magnets?"),
    _ex(SC, "Can plants grow [with|without] sunlight?",
        "Is it possible for plants to grow [with|without] sunlight?",
        "Do plants grow [with|without] sunlight?"),
    _ex(HI, "Which countries have [been|never been] colonized?",
        "What countries were [colonized|never colonized]?",
        "Which nations have [been|never been] colonized by Europeans?"),
    _fq(HI, "Which US presidents [were|were not] reelected?",
        "Which American presidents [won|didn't win] a second term?",
        "What US presidents [were|weren't] reelected?"),
    _fq(L, "Can police search my car [with|without] a warrant in {state}?",
        "In {state}, can the police search my car [with|without] a warrant?",
        "Are police allowed to search my car [with|without] a warrant in {state}?"),
    _fq(L, "Can I be evicted [with|without] a court order in {state}?",
        "In {state}, can a landlord evict me [with|without] a court order?",
        "Is it possible to be evicted [with|without] a court order in {state}?"),
    _fq(L, "Can I break my lease [with|without] a penalty in {state}?",
        "In {state}, can I end my lease early [with|without] a penalty?",
        "Is it possible to break a lease [with|without] paying a penalty in {state}?"),
    _ex(PE, "Which dog breeds [shed|don't shed] much?", "What dog breeds [shed|don't shed] a lot?",
        "Which breeds of dog [shed|barely shed]?"),
    _ex(PE, "Which houseplants are [safe|toxic] for {pet.1}?",
        "What houseplants are [safe|dangerous] for {pet.1}?",
        "Which indoor plants are [safe|not safe] to keep around {pet.1}?"),
    _fq(SP, "Which countries have [won|never won] the World Cup?",
        "What countries have [won|never won] the FIFA World Cup?",
        "Which national teams have [won|never won] the World Cup?"),
    _fq(SP, "Which NBA teams have [won|never won] a championship?",
        "What NBA franchises have [won|never won] a title?",
        "Which NBA teams have [won|never won] the NBA Finals?"),
    _fq(M, "Which numbers between 1 and {n_big} are [prime|not prime]?",
        "What numbers from 1 to {n_big} are [prime|not prime]?",
        "List the numbers between 1 and {n_big} that are [prime|not prime]."),
    _howto(M, "solve a quadratic equation [with|without] the quadratic formula"),
    _howto(M, "find the square root of a number [with|without] a calculator"),
    _howto(W, "write a cover letter [with|without] work experience"),
    _ex(W, "Write a story about {story_topic} [with|without] a happy ending.",
        "Can you write a story about {story_topic} [with|without] a happy ending?",
        "Give me a story about {story_topic} [with|without] a happy ending."),
)

MINOR_ACTS = ("get a tattoo", "open a bank account", "sign a lease", "work full-time",
              "get a job without a work permit", "buy a lottery ticket", "get married",
              "donate blood", "sign a contract", "own a car")
NOVEL_GENRES = ("sci-fi", "fantasy", "mystery", "historical fiction", "horror", "romance",
                "thriller", "literary fiction", "dystopian", "crime", "young adult")
RATES = ("2.5%", "3%", "3.5%", "4%", "4.5%", "5%", "5.5%", "6%", "6.5%", "7%", "7.5%", "8%")
COOKABLE = ("chicken breast", "salmon", "tofu", "broccoli", "sweet potatoes", "ground beef",
            "pork chops", "shrimp", "cod", "potatoes", "cauliflower", "mushrooms", "bell peppers",
            "carrots", "zucchini", "eggplant", "cabbage", "steak", "turkey breast",
            "corn on the cob", "green beans", "asparagus", "beets", "chicken thighs", "lamb chops",
            "Brussels sprouts", "a whole chicken", "pork belly", "butternut squash",
            "chicken wings")
FOOD_CATS = ("vegetables", "mushrooms", "fish", "beans", "grains", "nuts", "fruits", "greens",
             "root vegetables", "seeds")
SLOTS.update({"minor_act": MINOR_ACTS, "novel_genre": NOVEL_GENRES, "rate": RATES,
              "food_cat": FOOD_CATS, "temp_sym": ("°C", "°F"), "cookable": COOKABLE,
              "oven_temp": ("160", "175", "180", "190", "200", "220", "350", "375", "400")})
SLOT_KIND.update({"minor_act": "related", "novel_genre": "related", "rate": "number",
                  "food_cat": "related", "temp_sym": "number", "oven_temp": "number",
                  "cookable": "entity"})

# =================================================================================================
# Word tables for the rule-based edits.
# =================================================================================================

#: verb opposites, base forms; inflected forms (-s, -ing, past, participle) are derived, with
#: ``IRREGULAR_VERBS`` and ``DOUBLING_VERBS`` for the irregular ones. A phrasal verb inflects its
#: first word. Both directions are used; when a word has two opposites the first listed wins.
ANTONYM_VERBS = (
    ("buy", "sell"), ("lend", "borrow"), ("upload", "download"), ("encrypt", "decrypt"),
    ("increase", "decrease"), ("enable", "disable"), ("install", "uninstall"),
    ("attach", "detach"), ("import", "export"), ("push", "pull"), ("open", "close"),
    ("start", "stop"), ("win", "lose"), ("gain", "lose"), ("accept", "reject"),
    ("include", "exclude"), ("add", "remove"), ("block", "unblock"), ("allow", "block"),
    ("approve", "disapprove"), ("arrive", "depart"), ("enter", "exit"),
    ("connect", "disconnect"), ("mount", "unmount"), ("lock", "unlock"), ("load", "unload"),
    ("pack", "unpack"), ("plug in", "unplug"), ("subscribe", "unsubscribe"),
    ("follow", "unfollow"), ("mute", "unmute"), ("pause", "resume"), ("hide", "show"),
    ("expand", "collapse"), ("compress", "decompress"), ("zip", "unzip"),
    ("freeze", "unfreeze"), ("speed up", "slow down"), ("raise", "lower"), ("rise", "fall"),
    ("ascend", "descend"), ("inhale", "exhale"), ("appear", "disappear"), ("agree", "disagree"),
    ("like", "dislike"), ("love", "hate"), ("trust", "distrust"), ("obey", "disobey"),
    ("remember", "forget"), ("create", "delete"), ("merge", "split"), ("join", "leave"),
    ("sign in", "sign out"), ("log in", "log out"), ("turn on", "turn off"),
    ("switch on", "switch off"), ("check in", "check out"), ("opt in", "opt out"),
    ("zoom in", "zoom out"), ("scroll up", "scroll down"), ("inflate", "deflate"),
    ("charge", "discharge"), ("accelerate", "decelerate"), ("strengthen", "weaken"),
    ("tighten", "loosen"), ("widen", "narrow"), ("lengthen", "shorten"),
    ("maximize", "minimize"), ("overestimate", "underestimate"), ("overpay", "underpay"),
    ("overcook", "undercook"), ("encode", "decode"), ("serialize", "deserialize"),
    ("compile", "decompile"), ("activate", "deactivate"), ("register", "deregister"),
    ("enroll", "unenroll"), ("hire", "fire"), ("promote", "demote"), ("send", "receive"),
    ("teach", "learn"), ("attack", "defend"), ("pass", "fail"), ("admit", "deny"),
    ("permit", "forbid"), ("praise", "criticize"), ("reward", "punish"),
    ("deposit", "withdraw"), ("land", "take off"), ("float", "sink"), ("attract", "repel"),
    ("fasten", "unfasten"), ("dress", "undress"), ("wrap", "unwrap"), ("cover", "uncover"),
    ("fold", "unfold"), ("tie", "untie"), ("upgrade", "downgrade"), ("upvote", "downvote"),
    ("overclock", "underclock"), ("multiply", "divide"), ("differentiate", "integrate"),
    ("simplify", "complicate"), ("grant", "revoke"), ("assign", "unassign"),
    ("stage", "unstage"), ("track", "untrack"), ("pin", "unpin"), ("star", "unstar"),
    ("archive", "unarchive"), ("ban", "unban"), ("suspend", "reinstate"), ("link", "unlink"),
    ("bind", "unbind"), ("select", "deselect"), ("publish", "unpublish"), ("read", "write"),
    ("enqueue", "dequeue"), ("prepend", "append"), ("marry", "divorce"),
    ("dilate", "constrict"), ("acquit", "convict"), ("appreciate", "depreciate"),
    ("reveal", "conceal"), ("embark", "disembark"), ("heat", "cool"),
    ("wake up", "fall asleep"), ("begin", "end"), ("undo", "redo"), ("comment out", "uncomment"),
    ("whitelist", "blacklist"), ("allowlist", "denylist"), ("overfeed", "underfeed"),
    ("overwater", "underwater"), ("import", "export"), ("bulk up", "slim down"),
    ("warm up", "cool down"), ("fill", "empty"), ("save", "discard"), ("show up", "leave"),
    ("spend", "save"), ("borrow", "lend"), ("find", "lose"), ("gain weight", "lose weight"),
)
IRREGULAR_VERBS = {
    "buy": ("bought", "bought"), "sell": ("sold", "sold"), "lend": ("lent", "lent"),
    "win": ("won", "won"), "lose": ("lost", "lost"), "begin": ("began", "begun"),
    "hide": ("hid", "hidden"), "show": ("showed", "shown"), "freeze": ("froze", "frozen"),
    "unfreeze": ("unfroze", "unfrozen"), "forget": ("forgot", "forgotten"),
    "send": ("sent", "sent"), "teach": ("taught", "taught"), "rise": ("rose", "risen"),
    "fall": ("fell", "fallen"), "sink": ("sank", "sunk"), "withdraw": ("withdrew", "withdrawn"),
    "overpay": ("overpaid", "overpaid"), "underpay": ("underpaid", "underpaid"),
    "read": ("read", "read"), "write": ("wrote", "written"), "bind": ("bound", "bound"),
    "unbind": ("unbound", "unbound"), "take": ("took", "taken"), "undo": ("undid", "undone"),
    "redo": ("redid", "redone"), "split": ("split", "split"), "leave": ("left", "left"),
    "forbid": ("forbade", "forbidden"), "wake": ("woke", "woken"), "find": ("found", "found"),
    "spend": ("spent", "spent"), "overfeed": ("overfed", "overfed"),
    "underfeed": ("underfed", "underfed"), "slow": ("slowed", "slowed"),
    "speed": ("sped", "sped"), "deal": ("dealt", "dealt"), "learn": ("learned", "learned"),
    "shut": ("shut", "shut"), "put": ("put", "put"),
}
DOUBLING_VERBS = frozenset((
    "win", "begin", "stop", "plug", "unplug", "zip", "unzip", "pin", "unpin", "star", "unstar",
    "ban", "unban", "forget", "admit", "permit", "submit", "commit", "omit", "wrap", "unwrap",
    "drop", "ship", "swap", "scan", "plan", "log", "slim", "acquit", "repel", "compel", "expel",
))
#: other opposites, as exact forms (adjectives, nouns and their plurals, fixed phrases)
ANTONYM_WORDS = (
    ("hot", "cold"), ("hotter", "colder"), ("hottest", "coldest"), ("cheap", "expensive"),
    ("cheaper", "more expensive"), ("cheapest", "most expensive"), ("safe", "unsafe"),
    ("safer", "more dangerous"), ("safest", "most dangerous"), ("best", "worst"),
    ("better", "worse"), ("good", "bad"), ("large", "small"), ("larger", "smaller"),
    ("largest", "smallest"), ("fast", "slow"), ("faster", "slower"), ("fastest", "slowest"),
    ("early", "late"), ("earlier", "later"), ("earliest", "latest"), ("before", "after"),
    ("above", "below"), ("inside", "outside"), ("upstairs", "downstairs"),
    ("indoor", "outdoor"), ("indoors", "outdoors"), ("internal", "external"),
    ("input", "output"), ("maximum", "minimum"), ("max", "min"), ("highest", "lowest"),
    ("high", "low"), ("strong", "weak"), ("stronger", "weaker"), ("strongest", "weakest"),
    ("thick", "thin"), ("thicker", "thinner"), ("wide", "narrow"), ("heavy", "light"),
    ("heavier", "lighter"), ("heaviest", "lightest"), ("difficult", "easy"),
    ("easier", "harder"), ("easiest", "hardest"), ("simple", "complex"), ("legal", "illegal"),
    ("possible", "impossible"), ("healthy", "unhealthy"), ("happy", "sad"),
    ("happier", "sadder"), ("happiest", "saddest"), ("rich", "poor"), ("richest", "poorest"),
    ("younger", "older"), ("youngest", "oldest"), ("modern", "ancient"),
    ("longest", "shortest"), ("longer", "shorter"), ("deep", "shallow"),
    ("deepest", "shallowest"), ("wet", "dry"), ("full", "empty"), ("clean", "dirty"),
    ("loud", "quiet"), ("louder", "quieter"), ("sweet", "savory"), ("raw", "cooked"),
    ("fresh", "frozen"), ("ripe", "unripe"), ("male", "female"), ("men", "women"),
    ("man", "woman"), ("boy", "girl"), ("boys", "girls"), ("boyfriend", "girlfriend"),
    ("husband", "wife"), ("husbands", "wives"), ("mother", "father"), ("mothers", "fathers"),
    ("mom", "dad"), ("son", "daughter"), ("sons", "daughters"), ("brother", "sister"),
    ("brothers", "sisters"), ("king", "queen"), ("uncle", "aunt"), ("nephew", "niece"),
    ("grandmother", "grandfather"), ("positive", "negative"), ("true", "false"),
    ("correct", "incorrect"), ("valid", "invalid"), ("visible", "invisible"),
    ("public", "private"), ("online", "offline"), ("synchronous", "asynchronous"),
    ("sync", "async"), ("mutable", "immutable"), ("static", "dynamic"),
    ("stateful", "stateless"), ("local", "remote"), ("client-side", "server-side"),
    ("frontend", "backend"), ("front-end", "back-end"), ("horizontal", "vertical"),
    ("horizontally", "vertically"), ("manual", "automatic"), ("manually", "automatically"),
    ("analog", "digital"), ("wired", "wireless"), ("upstream", "downstream"),
    ("inbound", "outbound"), ("incoming", "outgoing"), ("ascending", "descending"),
    ("uppercase", "lowercase"), ("prime", "composite"), ("finite", "infinite"),
    ("rational", "irrational"), ("concave", "convex"), ("domestic flight", "international flight"),
    ("domestic flights", "international flights"), ("urban", "rural"), ("north", "south"),
    ("east", "west"), ("northern", "southern"), ("eastern", "western"), ("past", "future"),
    ("daytime", "nighttime"), ("morning", "evening"), ("sunrise", "sunset"),
    ("summer", "winter"), ("the beginning of", "the end of"), ("entry", "exit"),
    ("arrival", "departure"), ("arrivals", "departures"), ("success", "failure"),
    ("victory", "defeat"), ("profit", "loss"), ("income", "expenses"), ("asset", "liability"),
    ("assets", "liabilities"), ("buyer", "seller"), ("buyers", "sellers"), ("supply", "demand"),
    ("surplus", "deficit"), ("inflation", "deflation"), ("bull market", "bear market"),
    ("advantages", "disadvantages"), ("advantage", "disadvantage"), ("pros", "cons"),
    ("benefits", "risks"), ("benefit", "risk"), ("strengths", "weaknesses"),
    ("strength", "weakness"), ("positives", "negatives"), ("the causes of", "the effects of"),
    ("the cause of", "the effect of"), ("majority", "minority"), ("upside", "downside"),
    ("upsides", "downsides"), ("offense", "defense"), ("ally", "enemy"), ("allies", "enemies"),
    ("friend", "enemy"), ("friends", "enemies"), ("war", "peace"), ("hero", "villain"),
    ("heroes", "villains"), ("winner", "loser"), ("winners", "losers"),
    ("employer", "employee"), ("employers", "employees"), ("landlord", "tenant"),
    ("landlords", "tenants"), ("teacher", "student"), ("teachers", "students"),
    ("host", "guest"), ("sender", "recipient"), ("client", "server"), ("leader", "follower"),
    ("predator", "prey"), ("producer", "consumer"), ("producers", "consumers"),
    ("heaven", "hell"), ("optimist", "pessimist"), ("optimistic", "pessimistic"),
    ("introvert", "extrovert"), ("introverts", "extroverts"), ("introverted", "extroverted"),
    ("liberal", "conservative"), ("liberals", "conservatives"), ("left-wing", "right-wing"),
    ("capitalism", "socialism"), ("capitalist", "socialist"), ("religious", "secular"),
    ("guilty", "innocent"), ("plaintiff", "defendant"), ("prosecution", "defense"),
    ("formal", "informal"), ("polite", "rude"), ("active", "passive"), ("senior", "junior"),
    ("major", "minor"), ("organic", "inorganic"), ("natural", "artificial"), ("alive", "dead"),
    ("asleep", "awake"), ("benign", "malignant"), ("fertile", "infertile"),
    ("overweight", "underweight"), ("overpaid", "underpaid"), ("overrated", "underrated"),
    ("overcooked", "undercooked"), ("overdressed", "underdressed"),
    ("overqualified", "underqualified"), ("overpriced", "underpriced"),
    ("superior", "inferior"), ("primary", "secondary"), ("amateur", "professional"),
    ("amateurs", "professionals"), ("permanent", "temporary"), ("permanently", "temporarily"),
    ("forward", "backward"), ("forwards", "backwards"), ("clockwise", "counterclockwise"),
    ("ahead", "behind"), ("plus", "minus"), ("numerator", "denominator"),
    ("parallel", "perpendicular"), ("upper bound", "lower bound"), ("round up", "round down"),
    ("blocking", "non-blocking"), ("ingress", "egress"), ("reader", "writer"),
    ("getter", "setter"), ("prefix", "suffix"), ("head", "tail"), ("spicy", "mild"),
    ("crispy", "soggy"), ("salted", "unsalted"), ("sweetened", "unsweetened"),
    ("lean", "fatty"), ("bone-in", "boneless"), ("skin-on", "skinless"),
    ("whole milk", "skim milk"), ("caffeinated", "decaf"), ("alcoholic", "non-alcoholic"),
    ("one-way", "round-trip"), ("economy class", "business class"),
    ("window seat", "aisle seat"), ("peak season", "off-season"),
    ("direct flight", "connecting flight"), ("appreciation", "depreciation"),
    ("overvalued", "undervalued"), ("lender", "borrower"), ("creditor", "debtor"),
    ("importer", "exporter"), ("imports", "exports"), ("tax-free", "taxable"),
    ("pre-tax", "after-tax"), ("fixed-rate", "variable-rate"), ("secured", "unsecured"),
    ("refundable", "non-refundable"), ("paid", "unpaid"), ("full-time", "part-time"),
    ("employed", "unemployed"), ("gross income", "net income"), ("gross pay", "net pay"),
    ("hypothyroidism", "hyperthyroidism"), ("hypoglycemia", "hyperglycemia"),
    ("hypotension", "hypertension"), ("overactive", "underactive"), ("systolic", "diastolic"),
    ("LDL", "HDL"), ("constipation", "diarrhea"), ("aerobic", "anaerobic"),
    ("warm-up", "cool-down"), ("home game", "away game"), ("singles", "doubles"),
    ("men's", "women's"), ("acidic", "alkaline"), ("acids", "bases"), ("anode", "cathode"),
    ("cation", "anion"), ("oxidation", "reduction"), ("exothermic", "endothermic"),
    ("evaporation", "condensation"), ("expansion", "contraction"),
    ("attraction", "repulsion"), ("matter", "antimatter"), ("dominant", "recessive"),
    ("haploid", "diploid"), ("prokaryotic", "eukaryotic"), ("prokaryotes", "eukaryotes"),
    ("herbivore", "carnivore"), ("herbivores", "carnivores"), ("nocturnal", "diurnal"),
    ("vertebrate", "invertebrate"), ("vertebrates", "invertebrates"),
    ("warm-blooded", "cold-blooded"), ("terrestrial", "aquatic"),
    ("freshwater", "saltwater"), ("high tide", "low tide"), ("perihelion", "aphelion"),
    ("anabolic", "catabolic"), ("sympathetic", "parasympathetic"), ("afferent", "efferent"),
    ("the rise of", "the fall of"), ("dictatorship", "democracy"), ("lawful", "unlawful"),
    ("constitutional", "unconstitutional"), ("civil", "criminal"),
    ("acquittal", "conviction"), ("mandatory", "optional"), ("voluntary", "involuntary"),
    ("explicit", "implicit"), ("eligible", "ineligible"),
    ("enforceable", "unenforceable"), ("singular", "plural"), ("synonym", "antonym"),
    ("synonyms", "antonyms"), ("fiction", "nonfiction"), ("comedy", "tragedy"),
    ("protagonist", "antagonist"), ("literal", "figurative"), ("objective", "subjective"),
    ("first person", "third person"), ("opening paragraph", "closing paragraph"),
    ("introduction", "conclusion"), ("compliment", "insult"), ("open source", "closed source"),
    ("boiling point", "freezing point"), ("uphill", "downhill"), ("import", "export"),
    ("upload speed", "download speed"), ("inhalation", "exhalation"),
    ("maximum", "minimum"), ("birth", "death"), ("wedding", "divorce"), ("hello", "goodbye"),
    ("entrance", "exit"), ("encryption", "decryption"), ("installation", "uninstallation"),
    ("increase", "decrease"), ("increases", "decreases"), ("gains", "losses"),
    ("wins", "losses"), ("pros", "cons"), ("strict", "lenient"), ("generous", "stingy"),
    ("brave", "cowardly"), ("honest", "dishonest"), ("patient", "impatient"),
    ("legally", "illegally"), ("clockwise", "anticlockwise"), ("sober", "drunk"),
    ("vegan", "carnivore"),
)
#: opposites used in one direction only (the source word has other senses, e.g. "old", "long")
ANTONYM_ONE_WAY = (
    ("dangerous", "safe"), ("big", "small"), ("bigger", "smaller"), ("biggest", "smallest"),
    ("upper", "lower"), ("higher", "lower"),
    ("hard", "easy"), ("young", "old"), ("short", "long"), ("tall", "short"),
    ("taller", "shorter"), ("tallest", "shortest"), ("wrong", "right"), ("odd", "even"),
    ("obtuse", "acute"), ("chronic", "acute"), ("drawbacks", "benefits"),
    ("evil", "good"), ("sick", "healthy"), ("synthetic", "natural"), ("wealthy", "poor"),
    ("decline", "accept"), ("subtract", "add"), ("shrink", "grow"), ("weaker", "stronger"),
    ("older", "younger"), ("oldest", "youngest"), ("smaller", "larger"),
)
#: source words never edited by the antonym rule (other senses would make nonsense)
ANTONYM_AMBIGUOUS = frozenset((
    "like", "right", "left", "last", "fast", "light", "old", "long", "lower", "end", "leave",
    "present", "free", "kind", "mean", "even", "head", "tail", "grow", "fire", "charge", "land",
    "sink", "cover", "pin", "star", "track", "stage", "link", "dress", "lock", "block", "load",
    "pack", "raise", "matter", "host", "client", "read", "save", "find", "fill", "tie", "fold",
    "float", "show", "fall", "close", "open", "cool", "heat", "entry", "past", "prime", "static",
    "patient", "civil", "local", "natural", "deep", "supply", "demand", "appreciate", "empty",
    "full", "sweet", "war", "input", "output", "forward", "plus", "minus", "follow", "exit",
    "select", "hello", "push", "pull", "zip", "birth", "death", "wedding", "stop", "order",
    "divide", "integrate", "split", "merge", "track", "cover", "rise", "undo", "ban", "write",
    "delete", "differentiate", "like", "finish", "discard", "reader", "writer", "sync", "good",
    "bad", "legally", "illegally", "leader", "follower", "freeze", "unfreeze", "possible",
    "impossible", "public", "private", "teach", "permit", "start", "remove", "hire", "resume",
    "correct", "incorrect", "pause", "active", "passive", "love", "student", "students",
    "teacher", "teachers", "behind",
))
#: ambiguous words still allowed in template questions (whose wording is controlled)
ANTONYM_OK_IN_TEMPLATES = frozenset((
    "open", "close", "read", "load", "raise", "lower", "deep", "local", "input", "output",
    "static", "natural", "civil", "stop", "supply", "demand", "divide",
    "integrate", "undo", "ban", "rise", "select", "block",
))
#: an antonym, synonym or negation edit whose output contains one of these is rejected
BAD_OUTPUT = (
    "low school", "bad morning", "bad night", "for bad", "easy drive", "easy disk", "soft drive",
    "pass away", "fail away", "lose it", "lost it", "slow food", "right away", "close to",
    "hard copy", "easy copy", "get low", "cheap shot", "after all", "before all", "at first",
    "at last", "first aid", "last aid", "last of all", "good luck", "bad luck",
    "happy birthday", "sad birthday", "pull request", "push request", "push notification",
    "pull notification", "zip code", "unzip code", "hot dog", "cold dog", "a cold", "a hot",
    "the cold war", "the hot war", "sign up", "sign down", "log up", "high-five", "low-five",
    "repair a bug", "repair the bug", "repair bugs", "repair an error", "repair the error",
    "repair this error", "repair error", "repair it", "repair my code", "repair the code",
    "large deal", "large data", "large o", "large bang", "little bang", "big language model",
    "mad at", "film star", "select up", "without a doubt", "with a doubt",
    "what is it dislike", "feel dislike", "dislike this", "common hot", "hate you",
    "exit the", "depart the", "lose a bet", "to sell out", "sold out", "well-know",
    "sick of", "new york", "old york", "receive up", "send up", "undress code", "worst way",
    "bad way", "get worse at", "most expensive way", "best enemy", "best enemies",
    "minor events", "resume execution", "open my oldest", "bad retirement", "bad thing about",
    "worst friend", "cool down my", "deflate", "hardest way", "most difficult way",
    "slowest way", "least effective way", "unhealthy way", "private transport",
    "is it impossible", "follower of", "log out to", "sign out to", "unsafe way", "ancient day",
    "modern day", "lease late", "large business", "love speech", "big business",
)

#: safe synonyms for paraphrases (both directions unless listed in SYNONYMS_ONE_WAY)
SYNONYMS = (
    ("big", "large"), ("bigger", "larger"), ("biggest", "largest"), ("fix", "repair"),
    ("purchase", "buy"), ("purchased", "bought"), ("car", "automobile"), ("cars", "automobiles"),
    ("movie", "film"), ("movies", "films"), ("kids", "children"), ("doctor", "physician"),
    ("doctors", "physicians"), ("rapidly", "quickly"), ("simplest", "easiest"),
    ("intelligent", "smart"), ("enormous", "huge"), ("begin", "start"), ("beginning", "starting"),
    ("choose", "select"), ("photo", "picture"), ("photos", "pictures"),
    ("smartphone", "mobile phone"), ("TV", "television"), ("fridge", "refrigerator"),
    ("couch", "sofa"), ("trash", "garbage"), ("airplane", "plane"), ("airplanes", "planes"),
    ("quit", "stop"), ("scared", "afraid"), ("rich", "wealthy"), ("famous", "well-known"),
    ("tips", "advice"), ("website", "site"), ("websites", "sites"), ("error", "mistake"),
    ("mistakes", "errors"), ("ways", "methods"), ("fastest", "quickest"),
    ("difficult", "hard"), ("reduce", "lower"), ("get rid of", "remove"),
    ("improve", "enhance"), ("important", "crucial"), ("benefits", "advantages"),
    ("pros and cons", "advantages and disadvantages"), ("stomach ache", "stomachache"),
    ("cellphone", "mobile phone"), ("exam", "test"), ("vacation", "holiday"),
    ("How do I", "How can I"), ("What is the best way", "What's the best way"),
    ("Is it possible to", "Is there a way to"), ("What are some", "What are a few"),
)
#: synonyms used one way only, from the first word to the second
SYNONYMS_ONE_WAY = frozenset((
    "fix", "rich", "reduce", "difficult", "improve", "important", "ways", "tips", "exam",
    "vacation", "get rid of", "benefits", "car", "cars", "Is it possible to",
))

#: nouns after which "with" can become "without" (and back) with a real change of meaning
WITH_NOUNS = frozenset((
    "visa", "passport", "degree", "experience", "insurance", "money", "car", "notice",
    "permission", "consent", "prescription", "food", "sugar", "milk", "caffeine", "gluten",
    "eggs", "dairy", "oil", "yeast", "oven", "microwave", "internet", "wifi", "license",
    "job", "lawyer", "kids", "children", "makeup", "glasses", "contacts", "coding",
    "programming", "surgery", "medication", "medicine", "exercise", "gym", "equipment",
    "credit", "cosigner", "down", "collateral", "deposit", "referral", "appointment",
    "reservation", "ticket", "id", "account", "password", "root", "sudo", "coaching",
    "salt", "meat", "butter", "flour", "cheese", "alcohol", "ads", "interest", "fees",
    "pain", "stitches", "anesthesia", "a", "an", "any", "my", "your", "the", "no",
))
#: words before "with" that make "without" nonsense ("deal with", "what's wrong with")
WITH_BLOCK = frozenset((
    "deal", "dealing", "deals", "dealt", "cope", "coping", "wrong", "familiar", "compare",
    "compared", "along", "up", "help", "helping", "done", "do", "associated", "related",
    "connected", "involved", "come", "came", "fall", "fell", "agree", "interact", "communicate",
    "play", "playing", "work", "working", "mess", "fight", "argue", "talk", "speak", "chat",
    "stay", "sleep", "date", "dating", "happened", "happens", "go", "goes", "going", "went",
    "friends", "married", "love", "obsessed", "satisfied", "happy", "comfortable", "okay", "ok",
    "fine", "problem", "problems", "issue", "issues", "trouble", "filled", "covered",
    "equipped", "compatible", "consistent", "identical", "similar", "together", "replace",
    "combine", "mix", "pair", "paired", "diagnosed", "infected", "born", "live", "living",
    "lives", "share", "sharing", "connect", "sync", "integrate", "integrated", "meet",
    "meeting", "hang", "relationship", "relationships", "well", "along", "keep", "catch",
    "up", "stuck", "concerned", "affiliated", "acquainted", "bored", "angry", "upset",
    "impressed", "fed", "sick", "cook", "cooking", "cooked", "made", "make", "served", "serve",
    "eat", "eating", "drink", "goes", "taken", "take", "taking", "combined", "interfere",
))
#: auxiliaries and their negative forms, for "Why is X ..." <-> "Why isn't X ..."
NEG_AUX = {
    "is": "isn't", "are": "aren't", "do": "don't", "does": "doesn't", "did": "didn't",
    "can": "can't", "was": "wasn't", "were": "weren't", "would": "wouldn't",
    "should": "shouldn't", "will": "won't", "could": "couldn't", "has": "hasn't",
    "have": "haven't",
}

#: contraction pairs for the trivial kind (expanding "'s"/"'d" is skipped before a participle)
CONTRACTIONS = (
    ("do not", "don't"), ("does not", "doesn't"), ("did not", "didn't"), ("is not", "isn't"),
    ("are not", "aren't"), ("was not", "wasn't"), ("cannot", "can't"), ("will not", "won't"),
    ("would not", "wouldn't"), ("should not", "shouldn't"), ("could not", "couldn't"),
    ("have not", "haven't"), ("has not", "hasn't"), ("what is", "what's"),
    ("where is", "where's"), ("who is", "who's"), ("how is", "how's"), ("that is", "that's"),
    ("there is", "there's"), ("it is", "it's"), ("I am", "I'm"), ("I have", "I've"),
    ("I would", "I'd"), ("I will", "I'll"), ("you are", "you're"), ("we are", "we're"),
    ("they are", "they're"), ("let us", "let's"), ("what are", "what're"),
)
#: texting-style abbreviations
TEXTING = (
    ("you", "u"), ("your", "ur"), ("you're", "ur"), ("please", "pls"), ("thanks", "thx"),
    ("because", "bc"), ("people", "ppl"), ("tomorrow", "tmrw"), ("tonight", "tonite"),
    ("something", "smth"), ("about", "abt"), ("really", "rly"), ("okay", "ok"),
    ("are you", "r u"), ("before", "b4"), ("going to", "gonna"), ("want to", "wanna"),
    ("probably", "prob"), ("message", "msg"), ("information", "info"), ("though", "tho"),
    ("favorite", "fav"), ("thank you", "ty"), ("I don't know", "idk"), ("by the way", "btw"),
    ("as soon as possible", "asap"), ("without", "w/o"), ("with", "w/"),
)
POLITE_PREFIXES = (
    "hey, ", "Hi! ", "hello, ", "Quick question: ", "question: ", "Hey there, ", "ok so ",
    "Sorry if this is a dumb question, but ", "I was wondering, ", "Help: ", "um, ",
    "Hi, quick one: ", "Hey ChatGPT, ", "Hello! ", "Can you help? ", "Question for you: ",
)
POLITE_SUFFIXES = (
    " thanks!", " Thanks in advance.", " thx", " Any help appreciated.", " :)", " please",
    " pls", " ty!", " Thank you!", " cheers", " Thanks a lot.", " (asking for a friend)",
    " lol", " Appreciate it!",
)

#: scope modifiers: axis -> (one pole, the opposite pole). A trailing "," or ":" marks a prefix,
#: anything else is a sentence appended after the question. Modifiers of one pole are treated as
#: equivalent, so a negative pair always takes opposite poles (or a modifier on one side only).
SCOPE_AXES = {
    "level": (
        ("In simple terms,", "Explain like I'm five:", "Keep it simple, I'm a beginner:",
         "Explain it like I'm 5.", "Explain it for a complete beginner.",
         "Please keep it beginner-friendly."),
        ("In technical detail,", "For an expert audience,", "Assume I'm an expert:",
         "Give me the full technical details.", "Explain it at an expert level.",
         "Go into the technical specifics, I work in this field."),
    ),
    "length": (
        ("Briefly,", "In a nutshell,", "Keep it short.", "Just give me the short answer.",
         "TL;DR version please.", "Be brief."),
        ("In depth,", "In great detail,", "Give me a detailed answer.", "Explain it thoroughly.",
         "Go into as much detail as you can.", "I want the long, detailed version."),
    ),
    "breadth": (
        ("Just give me one example.", "Only the single most important one, please.",
         "Just the main one."),
        ("List all of them.", "Give me every option you can think of.",
         "Cover all the ways, please.", "Give me a complete list."),
    ),
    "audience": (
        ("This is for my 8-year-old.", "Explain it for kids.", "Make it suitable for children."),
        ("This is for adults.", "Answer for an adult audience.",
         "Assume the reader is a grown-up professional."),
    ),
}
#: output formats; phrasings inside one group are equivalent, different groups are not
FORMAT_GROUPS = (
    ("Use bullet points.", "Give it to me as a bulleted list.", "Answer in bullet points."),
    ("Give it as a numbered list.", "Format it as a numbered list."),
    ("Answer in one sentence.", "One sentence only, please.", "Sum it up in a single sentence."),
    ("Write about 500 words.", "Answer in around 500 words.", "Give me a 500-word answer."),
    ("Answer in the form of a poem.", "Write the answer as a poem."),
    ("Answer in Spanish.", "Respond in Spanish, please."),
    ("Answer in French.", "Respond in French, please."),
    ("Answer in German.", "Reply in German."),
    ("Answer in Japanese.", "Respond in Japanese."),
    ("Answer in Hindi.", "Reply in Hindi, please."),
    ("Write it as a short email.", "Format it as an email."),
)
#: machine-readable formats, only for questions that ask for a list of things
DATA_FORMAT_GROUPS = (
    ("Answer in JSON.", "Return the answer as JSON.", "Give me the output in JSON format."),
    ("Answer in YAML.", "Format the output as YAML."),
    ("Give it to me as CSV.", "Output it in CSV format."),
    ("Format the answer as a table.", "Put it in a table.", "Answer as a table, please."),
)
#: question openers that may lose their capital after a prefix modifier
LOWERABLE_OPENERS = frozenset((
    "what", "what's", "how", "why", "which", "who", "when", "where", "is", "are", "can", "do",
    "does", "should", "explain", "give", "write", "list", "tell", "could", "would", "will",
    "recommend", "suggest", "any", "in", "for", "did", "was", "were", "has", "have", "help",
    "a", "an", "the", "difference", "steps", "show", "walk", "please", "convert",
    "calculate", "add", "divide", "find", "solve", "summarize", "translate", "draft", "compose",
    "rewrite", "rephrase", "plan", "imagine", "as", "if", "on", "with", "from", "by", "at",
))
#: abusive or explicit content; Quora questions containing these are skipped
BLOCKLIST_RE = re.compile(
    r"\b(sex\w*|porn\w*|fuck\w*|shit\w*|dick|boobs?|penis\w*|vagina\w*|masturbat\w*|horny|"
    r"nude\w*|naked|rape\w*|suicid\w*|kill (?:myself|yourself)|nigg\w*|slut\w*|whore\w*|"
    r"erotic\w*|orgasm\w*|breasts?|condoms?|virgin\w*|incest|hitler|terroris\w*|isis|"
    r"girlfriend's|boyfriend's|dating|tinder|weed|marijuana|cocaine|heroin|squirt\w*|"
    r"erection\w*|cum|genitals?|pubic|bra|panties|lingerie|escorts?|prostitut\w*|meth|"
    r"drugs?)\b",
    re.IGNORECASE,
)
#: entity values that are also common words or other names; never matched in Quora text
TEXT_ENTITY_EXCLUDE = frozenset((
    "Go", "R", "Swift", "Rust", "Ruby", "Julia", "Dart", "Crystal", "Nim", "Bash", "Groovy",
    "Express", "Meteor", "Ember", "Phoenix", "Gin", "Astro", "Remix", "Render", "Target",
    "Visa", "Chase", "Discover", "Turkey", "Chad", "Jordan", "Georgia", "Nice", "Max", "Signal",
    "Steam", "Zoom", "Slack", "Vault", "Helm", "Wine", "Consul", "Apache", "Washington",
    "Split", "Bali", "Goa", "Ajax", "Celtic", "Mercury", "Earth", "Venus", "Render", "Argos",
    "Notion", "Chime", "Git", "Go", "Strava", "Drone", "Chef", "Puppet", "Yarn",
    "Vagrant", "Traefik", "Certbot", "Koa", "Sinatra", "Hulu", "Peloton", "Audible", "Dell",
    "HP", "British", "French", "Spanish", "Dutch", "Greek", "Polish", "Turkish", "Chinese",
    "Japanese", "German", "Italian", "Swiss", "Thai", "Irish", "Danish", "Korean", "Hillary",
    "Sanders", "Newton", "Lincoln", "Napoleon", "Ford", "Honda", "Lloyds", "Latin", "Arabic",
    "Persian", "Hebrew", "Russian", "Portuguese", "Swedish", "Finnish", "Norwegian", "Czech",
    "Hungarian", "Romanian", "Ukrainian", "Vietnamese", "Indonesian", "Bengali", "Urdu", "Hindi",
))

# =================================================================================================
# Text helpers
# =================================================================================================

PH_RE = re.compile(r"\{([a-z_]+?)(\d?)(?:\.(\d))?\}")
POL_RE = re.compile(r"\[([^\[\]|]*)\|([^\[\]|]*)\]")
TOKEN_RE = re.compile(r"[a-z0-9]+")

#: acronyms read as words with a consonant sound ("a SEP IRA", "a REIT")
A_ACRONYMS = frozenset(("SEP", "SIMPLE", "REIT", "HELOC", "NASA", "NATO", "FIFA", "UEFA",
                        "JPMorgan", "YAML", "JSON", "GIF", "JWT", "CD", "CDN", "VPN", "USB",
                        "URL", "UK", "US", "USD", "UTI", "UPS", "UX", "UI", "GUI", "CSV", "DNS",
                        "PDF", "PNG", "JPG", "TV", "TOML", "WebP", "TIFF", "BMP", "SVG", "CAT",
                        "GATE", "GRE", "GMAT", "SAT", "JEE", "NEET", "PayPal", "CI", "CSS"))
#: lower-case beginnings read with a consonant sound ("a university", "a European")
CONSONANT_SOUND = ("uni", "use", "usa", "usu", "uti", "ure", "uro", "uru", "eu", "one", "once",
                   "ukr", "uta", "ubiq", "unanim", "ufo")
VOWEL_SOUND_H = ("hour", "honest", "heir", "honor", "herb")
NO_CAPITAL = frozenset(("macOS", "iPhone", "iPad", "iOS", "eBay", "iCloud", "iCloud+", "k3s",
                        "minikube", "npm", "pip", "kubectl", "git", "numpy", "pandas", "pytest",
                        "mypy", "black", "openSUSE", "x^2", "sqrt"))


def _wants_an(word: str) -> bool:
    """Whether the indefinite article before ``word`` is "an"."""
    w = word.lstrip("'\"(")
    if not w:
        return False
    if w[0].isdigit():
        run = re.match(r"[\d,]+", w)
        digits = run.group(0).replace(",", "") if run else ""
        return digits.startswith("8") or (len(digits) % 3 == 2 and digits[:2] in ("11", "18"))
    head = re.match(r"[A-Za-z]+", w)
    if not head:
        return False
    h = head.group(0)
    if h in A_ACRONYMS:
        return False
    if h.isupper() and len(h) <= 5:
        return h[0] in "AEFHILMNORSX"
    low = h.lower()
    if low.startswith(VOWEL_SOUND_H):
        return True
    if low.startswith(CONSONANT_SOUND):
        return False
    return low[0] in "aeiou"


ARTICLE_RE = re.compile(r"(?<![\w'])(a|an|A|An) (?=[\w'\"(])")


def _fix_articles(s: str) -> str:
    """Make every "a"/"an" agree with the word after it (capital "A" only at a sentence start)."""

    def repl(m: re.Match[str]) -> str:
        art = m.group(1)
        start = m.start()
        if art[0] == "A" and start > 0 and not re.search(r"[.!?:]\s*[\"']?$", s[:start]):
            return m.group(0)
        new = "an" if _wants_an(s[m.end():]) else "a"
        if art[0] == "A":
            new = new.capitalize()
        return new + " "

    return ARTICLE_RE.sub(repl, s)


def _cap_first(s: str) -> str:
    if not s or not s[0].islower():
        return s
    first = s.split(" ", 1)[0].rstrip(":,?")
    if first in NO_CAPITAL or "(" in first or any(ch.isupper() for ch in first[1:]):
        return s  # "iPhone", "macOS", "fetchOrderById()", "sqrt(2)"
    return s[0].upper() + s[1:]


def _lower_first(s: str) -> str:
    """Lower-case the first letter when the first word is an ordinary question opener."""
    first = s.split(" ", 1)[0].lower().rstrip(",:")
    if first in LOWERABLE_OPENERS and s[:1].isupper() and not s[1:2].isupper():
        return s[0].lower() + s[1:]
    return s


def _tidy(s: str) -> str:
    s = s.replace("'s's", "'s")
    s = re.sub(r"s's\b", "s'", s)
    s = _fix_articles(s)
    s = re.sub(r"\s{2,}", " ", s).strip()
    return _cap_first(s)


def _tokens(s: str) -> list[str]:
    return TOKEN_RE.findall(s.lower())


def _jaccard(a: str, b: str) -> float:
    sa, sb = set(_tokens(a)), set(_tokens(b))
    return len(sa & sb) / max(1, len(sa | sb))


def _case_like(src: str, new: str) -> str:
    """``new`` with the capitalisation pattern of ``src`` (all caps, capitalised, as is)."""
    if src.isupper() and len(src) > 1 and not new.isupper():
        return new.upper()
    if src[:1].isupper() and new[:1].islower():
        return new[0].upper() + new[1:]
    return new


def _replace_span(text: str, start: int, end: int, new: str) -> str:
    """Replace text[start:end] and fix an article right before it."""
    before, after = text[:start], text[end:]
    m = re.search(r"(?<![\w'])(a|an|A|An) $", before)
    if m:
        art = "an" if _wants_an(new) else "a"
        if m.group(1)[0] == "A":
            art = art.capitalize()
        before = before[: m.start()] + art + " "
    return before + new + after


BAD_OUTPUT_RE = re.compile(r"\bhow many\b.*\b(lost|lose|losing)\b|\bwhat is it dislike\b|"
                           r"\b(lost|lose)\b.*\bballon d'or\b|"
                           r"\bremov\w* [\w ]{0,30}\bto (?:the|my|your|a|an)\b|"
                           r"\badd(?:s|ed|ing)? [\w ]{0,25}\bfrom\b|"
                           r"\bbefore \d+ (?:years|months|weeks|days)\b|"
                           r"\b(?:was|were|is|are) always \w+ed\b", re.IGNORECASE)


def _bad_output(s: str) -> bool:
    low = s.lower()
    return any(b in low for b in BAD_OUTPUT) or bool(BAD_OUTPUT_RE.search(s))


def _word_alternation(words: Iterable[str]) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in ordered)


def _boundary_re(words: Iterable[str], flags: int = 0) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{_word_alternation(words)})(?![\w-])", flags)


PHRASE_TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'.+#&-]*[A-Za-z0-9+#]|[A-Za-z0-9]")


class PhraseTable:
    """Finds listed words and phrases (up to five tokens) in text with dictionary look-ups; a
    regex alternation of thousands of phrases is far too slow for 100k questions."""

    def __init__(self, phrases: Iterable[str], lower: bool) -> None:
        self.lower = lower
        self.phrases = frozenset(p.lower() if lower else p for p in phrases)
        self.max_tokens = max((len(p.split()) for p in self.phrases), default=1)
        self.first = frozenset(PHRASE_TOKEN_RE.findall(p)[0] for p in self.phrases
                               if PHRASE_TOKEN_RE.findall(p))

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """All (start, end, matched text) spans, longest first where they overlap."""
        toks = [(m.start(), m.end()) for m in PHRASE_TOKEN_RE.finditer(text)]
        found: list[tuple[int, int, str]] = []
        for i in range(len(toks)):
            word = text[toks[i][0]:toks[i][1]]
            if self.lower:
                word = word.lower()
            if word not in self.first and word[:-2] not in self.first:
                continue
            for n in range(min(self.max_tokens, len(toks) - i), 0, -1):
                start, end = toks[i][0], toks[i + n - 1][1]
                frag = text[start:end]
                for cand_end in (end, end - 2 if frag.endswith("'s") else -1):
                    if cand_end <= start:
                        continue
                    piece = text[start:cand_end]
                    key = piece.lower() if self.lower else piece
                    if key in self.phrases and " ".join(piece.split()) == piece:
                        found.append((start, cand_end, piece))
                        break
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        kept: list[tuple[int, int, str]] = []
        for f in found:
            if not kept or f[0] >= kept[-1][1]:
                kept.append(f)
        return kept


# =================================================================================================
# Antonym and synonym maps
# =================================================================================================


def _verb_forms(verb: str) -> dict[str, str]:
    """base, 3rd person, -ing, past and participle of a (possibly phrasal) verb."""
    head, _, tail = verb.partition(" ")
    tail = f" {tail}" if tail else ""
    if head in IRREGULAR_VERBS:
        past, pp = IRREGULAR_VERBS[head]
    else:
        past = pp = ""
    if head.endswith(("s", "x", "z", "ch", "sh")) or head in ("go", "do", "undo", "redo"):
        third = head + "es"
    elif head.endswith("y") and head[-2:-1] not in tuple("aeiou"):
        third = head[:-1] + "ies"
    else:
        third = head + "s"
    if head.endswith("ie"):
        ing = head[:-2] + "ying"
    elif head.endswith("e") and not head.endswith(("ee", "ye", "oe")):
        ing = head[:-1] + "ing"
    elif head in DOUBLING_VERBS:
        ing = head + head[-1] + "ing"
    else:
        ing = head + "ing"
    if not past:
        if head.endswith("e"):
            past = head + "d"
        elif head.endswith("y") and head[-2:-1] not in tuple("aeiou"):
            past = head[:-1] + "ied"
        elif head in DOUBLING_VERBS:
            past = head + head[-1] + "ed"
        else:
            past = head + "ed"
        pp = past
    return {"base": verb, "s": third + tail, "ing": ing + tail, "past": past + tail,
            "pp": pp + tail}


def _build_antonyms() -> tuple[dict[str, str], dict[str, str], int]:
    """(form -> opposite form, past-or-participle form -> opposite participle, lemma pairs)."""
    amap: dict[str, str] = {}
    pp_map: dict[str, str] = {}
    pairs: set[tuple[str, str]] = set()
    for a, b in ANTONYM_WORDS:
        amap.setdefault(a, b)
        amap.setdefault(b, a)
        pairs.add((min(a, b), max(a, b)))
    for a, b in ANTONYM_VERBS:
        fa, fb = _verb_forms(a), _verb_forms(b)
        for key in ("base", "s", "ing", "past"):
            amap.setdefault(fa[key], fb[key])
            amap.setdefault(fb[key], fa[key])
        for x, y in ((fa, fb), (fb, fa)):
            amap.setdefault(x["pp"], y["pp"])
            pp_map.setdefault(x["pp"], y["pp"])
            pp_map.setdefault(x["past"], y["pp"])
        pairs.add((min(a, b), max(a, b)))
    for a, b in ANTONYM_ONE_WAY:
        amap.setdefault(a, b)
        pairs.add((min(a, b), max(a, b)))
    return amap, pp_map, len(pairs)


ANTONYM_MAP, ANTONYM_PP, ANTONYM_PAIR_COUNT = _build_antonyms()
#: inflected verb form -> base form ("saved" -> "save"), for the ambiguity checks
ANTONYM_LEMMA = {form: verb for pair in ANTONYM_VERBS for verb in pair
                 for form in _verb_forms(verb).values()}
ANTONYM_TABLE = PhraseTable(ANTONYM_MAP, lower=True)
LOSE_GAIN_NEXT = frozenset(("weight", "fat", "muscle", "money", "followers", "value", "interest",
                            "subscribers", "pounds", "kg", "kilos", "mass", "height"))
GENDERED = frozenset((
    "boy", "girl", "boys", "girls", "man", "woman", "men", "women", "husband", "wife", "husbands",
    "wives", "boyfriend", "girlfriend", "mother", "father", "mothers", "fathers", "son",
    "daughter", "sons", "daughters", "brother", "sister", "brothers", "sisters", "king", "queen",
    "male", "female", "mom", "dad", "uncle", "aunt", "nephew", "niece", "grandmother",
    "grandfather", "men's", "women's"))
PRONOUN_RE = re.compile(r"\b(he|she|him|her|his|hers|himself|herself)\b", re.IGNORECASE)
WIN_LOSE_FORMS = frozenset(("win", "wins", "winning", "won", "lose", "loses", "losing", "lost",
                            "gain", "gains", "gaining", "gained"))
CONTESTS = frozenset(("game", "match", "war", "election", "battle", "case", "bet", "race", "final",
                      "lottery", "tournament", "argument", "debate", "fight", "series", "league",
                      "championship", "lawsuit", "vote", "toss", "contest", "competition"))
PARTICIPLE_CUES = frozenset(("have", "has", "had", "been", "be", "is", "are", "was", "were", "get",
                             "got", "being", "having"))


def _build_synonyms() -> dict[str, str]:
    smap: dict[str, str] = {}
    for a, b in SYNONYMS:
        smap.setdefault(a, b)
        if a not in SYNONYMS_ONE_WAY:
            smap.setdefault(b, a)
    return smap


SYNONYM_MAP = _build_synonyms()
SYNONYM_TABLE = PhraseTable(SYNONYM_MAP, lower=False)


# =================================================================================================
# Entities, numbers and times in free text
# =================================================================================================

#: classes matched in Quora text, in priority order when a value belongs to several
TEXT_ENTITY_CLASSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("country", COUNTRIES), ("city", CITIES), ("state", US_STATES), ("demonym", DEMONYMS),
    ("demonym_pl", DEMONYMS_PL), ("person", PEOPLE_LIVING), ("person_hist", PEOPLE_HIST),
    ("surname", SURNAMES),
    ("company", COMPANIES), ("app", APPS), ("lang", PROG_LANGS), ("framework", FRAMEWORKS),
    ("db", DATABASES), ("cloud", CLOUDS), ("os", OSES), ("hlang", HUMAN_LANGS),
    ("university", UNIVERSITIES), ("exam", EXAMS), ("drug", DRUGS), ("cond", CONDITIONS),
    ("job", JOBS), ("sport", SPORTS), ("team", TEAMS), ("phone", PHONES), ("laptop", LAPTOPS),
    ("gadget", GADGETS), ("food", FOODS), ("animals", ANIMALS_PL), ("planet", PLANETS),
    ("element", ELEMENTS), ("pkg", PY_PKGS), ("bank", BANKS), ("airline", AIRLINES),
)


def _build_entities() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    value_class: dict[str, str] = {}
    members: dict[str, tuple[str, ...]] = {}
    for cls, values in TEXT_ENTITY_CLASSES:
        kept = tuple(v for v in dict.fromkeys(values)
                     if v not in TEXT_ENTITY_EXCLUDE and not v.startswith(("a ", "an ")))
        members[cls] = kept
        for v in kept:
            value_class.setdefault(v, cls)
    return value_class, members


ENTITY_CLASS, ENTITY_MEMBERS = _build_entities()
ENTITY_TABLE = PhraseTable(ENTITY_CLASS, lower=False)

NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve",
                "twenty", "fifty", "hundred")
ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "tenth")
NUM_RE = re.compile(
    r"(?<![\w.,/:$£€-])((?:\$|£|€|Rs\.? ?|INR ?)?)(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(%|k\b|K\b)?(?![\w/:-]|[.,]\d)")
UNIT_SWAPS = {
    "kg": "lbs", "kgs": "lbs", "lbs": "kg", "lb": "kg", "kilograms": "pounds",
    "pounds": "kilograms",
    "km": "miles", "kms": "miles", "miles": "km", "mile": "km", "kilometers": "miles",
    "kilometres": "miles", "cm": "inches", "inches": "cm", "inch": "cm", "feet": "meters",
    "ft": "m", "meters": "feet", "metres": "feet", "°C": "°F", "°F": "°C", "celsius": "fahrenheit",
    "fahrenheit": "celsius", "Celsius": "Fahrenheit", "Fahrenheit": "Celsius", "GB": "MB",
    "MB": "GB", "TB": "GB", "mph": "km/h", "hours": "minutes", "hour": "minute",
    "minutes": "hours", "days": "weeks", "weeks": "months", "months": "years", "years": "months",
    "day": "week", "week": "month", "month": "year", "year": "month", "dollars": "euros",
    "euros": "dollars", "rupees": "dollars", "USD": "EUR", "EUR": "USD", "INR": "USD",
    "liters": "gallons", "gallons": "liters", "calories": "grams", "grams": "ounces",
    "ounces": "grams", "percent": "points",
}
UNIT_RE = re.compile(
    r"(?<=\d)( ?)(" + _word_alternation(UNIT_SWAPS) + r")(?![\w/])")
YEAR_RE = re.compile(r"(?<![\w$£€.,-])(19\d{2}|20[0-3]\d)(?![\w%-]|[.,]\d)")
DECADE_RE = re.compile(r"(?<![\w-])((?:19|20)?)([1-9])0s\b")
CENTURY_RE = re.compile(r"\b(1\d|[2-9])(st|nd|rd|th) century\b")
MONTH_RE = re.compile(r"\b(" + "|".join(m for m in MONTHS if m != "May") + r")\b")
WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")s?\b")
REL_TIME = {
    "today": ("tomorrow", "yesterday"), "tomorrow": ("today", "yesterday"),
    "yesterday": ("today", "tomorrow"), "tonight": ("tomorrow night", "last night"),
    "this week": ("next week", "last week"), "next week": ("this week", "last week"),
    "last week": ("this week", "next week"), "this year": ("next year", "last year"),
    "next year": ("this year", "last year"), "last year": ("this year", "next year"),
    "this month": ("next month", "last month"), "next month": ("this month", "last month"),
    "last month": ("this month", "next month"), "this weekend": ("next weekend", "last weekend"),
    "next weekend": ("this weekend",), "last weekend": ("this weekend",),
    "in the morning": ("in the evening", "at night"), "at night": ("in the morning",),
    "in summer": ("in winter",), "in winter": ("in summer",), "in the summer": ("in the winter",),
    "in the winter": ("in the summer",), "in spring": ("in autumn",), "in autumn": ("in spring",),
}
REL_TIME_RE = _boundary_re(REL_TIME, re.IGNORECASE)
FILE_FORMATS = ("PDF", "Word", "JPG", "JPEG", "PNG", "MP4", "MP3", "Excel", "CSV", "JSON", "XML",
                "HTML", "GIF", "DOCX", "EPUB", "MOBI", "WAV", "AVI", "MKV", "YAML", "text")
FILE_FORMAT_RE = _boundary_re(FILE_FORMATS)
SYMMETRIC_CUES = re.compile(
    r"\b(distance|far|difference|differ|compare|comparison|similar|similarity|relation|"
    r"relationship|relations|between|vs\.?|versus|same|equal|ties|both|match|war)\b",
    re.IGNORECASE)
DIRECTION_CUE = re.compile(r"^ (?:\w+ ){0,3}?(?:to|into|than|over|against|from)(?: \w+){0,2} $")
ROLE_WORDS = (("landlord", "tenant"), ("employer", "employee"), ("buyer", "seller"),
              ("teacher", "student"), ("parent", "child"), ("husband", "wife"),
              ("doctor", "patient"), ("lender", "borrower"), ("boss", "employee"),
              ("customer", "company"), ("boyfriend", "girlfriend"), ("parents", "children"),
              ("landlords", "tenants"), ("employers", "employees"), ("teachers", "students"))

# =================================================================================================
# Rule-based edits of a question (each returns the edited text, or None when it does not apply)
# =================================================================================================

Rng = random.Random
NEGATION_WORDS_RE = re.compile(r"\b(not|never|no|none|nothing|nobody|without)\b|n't\b",
                               re.IGNORECASE)
PRONOUNS = frozenset(("I", "you", "we", "they"))
#: words ending in -ing that are usually nouns ("without baking powder" is not a gerund)
NOUNS_IN_ING = frozenset((
    "baking", "clothing", "housing", "pudding", "stuffing", "frosting", "icing", "seasoning",
    "dressing", "filling", "heating", "lighting", "parking", "shipping", "training", "wedding",
    "morning", "evening", "ring", "king", "thing", "something", "anything", "nothing",
    "everything", "spring", "string", "ceiling", "building", "painting", "meeting", "feeling",
    "warning", "ending", "opening", "marketing", "programming", "coding", "engineering",
    "plumbing", "flooring", "roofing", "bedding", "padding", "sibling", "offspring", "earring",
    "listing", "funding", "financing", "insurance", "packaging", "recording", "booking",
    "banking", "accounting", "nursing", "boxing", "sightseeing", "camping", "hiking",
))
IRREGULAR_PAST = frozenset(("ate", "took", "went", "got", "had", "did", "was", "were", "made",
                            "lost", "left", "forgot", "broke", "drank", "gave", "saw", "said",
                            "told", "thought", "bought", "sold", "sent", "put", "ran", "came"))


def _negate(text: str, rng: Rng) -> str | None:
    """Insert or remove a negation so that the question asks for something else."""
    cands: list[str] = []
    has_neg = bool(NEGATION_WORDS_RE.search(text))

    for m in re.finditer(r"\b(always|never)\b", text, re.IGNORECASE):
        new = "never" if m.group(1).lower() == "always" else "always"
        if not text[m.end():].lower().startswith(" mind"):
            out = text[: m.start()] + _case_like(m.group(1), new) + text[m.end():]
            if not _bad_output(out):
                cands.append(out)
    for m in re.finditer(r"\bwithout (\w+)", text):
        # "without a visa" -> "with a visa"; "without having X" -> "with X";
        # "without giving notice" -> "after giving notice"; "without faking it" -> "while faking it"
        word = m.group(1)
        if word.endswith("ing") and word.lower() not in NOUNS_IN_ING:
            repl = {"having": "with", "using": "using", "giving": "after giving",
                    "paying": "after paying", "telling": "after telling",
                    "asking": "after asking"}.get(word, "while " + word)
            end = m.end()
        else:
            repl, end = "with " + word, m.end()
        cands.append(text[: m.start()] + repl + text[end:])
    for m in re.finditer(r"\b(\w+) with (?:(?:a|an|the|my|your|any|no) )?([\w-]+)", text):
        prev, noun = m.group(1).lower(), m.group(2).lower()
        if prev in WITH_BLOCK or noun not in WITH_NOUNS or noun in ("a", "an", "the", "no"):
            continue
        pos = m.start() + len(m.group(1)) + 1
        cands.append(text[:pos] + "without" + text[pos + 4:])

    why = re.match(r"^Why (is|are|do|does|did|can|was|were|would|should|will|could|has|have) "
                   r"(\w+)", text)
    if why and not has_neg:
        subj = why.group(2)
        progressive = why.group(1) in ("is", "are", "was", "were") and re.search(
            r"\b\w{3,}ing\b", text[why.end():])
        state = why.group(1) in ("is", "are", "was", "were") and subj in ("my", "your", "our")
        intensified = bool(re.search(r"\bso \w+\?$", text))  # "Why is X so cheap?"
        if subj not in ("I", "there", "it", "this", "that", "you", "we") and not progressive \
                and not state and not intensified:
            cands.append("Why " + NEG_AUX[why.group(1)] + text[why.end(1):])
    whyneg = re.match(r"^Why (isn't|aren't|don't|doesn't|didn't|can't|wasn't|weren't|wouldn't|"
                      r"shouldn't|won't|couldn't|hasn't|haven't) (\w+)", text)
    if whyneg and whyneg.group(2) not in ("I", "my", "it", "you", "we", "there"):
        pos_aux = {v: k for k, v in NEG_AUX.items()}[whyneg.group(1)]
        cands.append("Why " + pos_aux + text[whyneg.end(1):])
    whynot = re.match(r"^Why (is|are|do|does|did|can|was|were|would|should|will|could) "
                      r"((?:[\w']+ ){1,4}?)not ", text)
    if whynot and whynot.group(2).split()[0] not in ("I", "you", "we", "it", "there"):
        cands.append(text[: whynot.end(2)] + text[whynot.end():])
    am = re.match(r"^Why am I not ", text)
    if am:
        cands.append("Why am I " + text[am.end():])
    aming = re.match(r"^Why (am I|is my \w+|are my \w+) (\w+ing)\b", text)
    if aming and not has_neg:
        cands.append(text[: aming.end(1)] + " not" + text[aming.end(1):])

    cond = re.search(r"\b(?:[Ww]hat (?:happens|will happen|would happen|should I do)|"
                     r"[Ii]s it (?:bad|okay|ok|normal|safe)) (?:if|when) (I|you|we|they) "
                     r"(don't |do not |can't |won't )?(\w+)", text)
    if cond:
        verb = cond.group(3)
        if cond.group(2):
            cands.append(text[: cond.start(2)] + text[cond.end(2):])
        elif verb in ("am", "are"):
            cands.append(text[: cond.end(3)] + " not" + text[cond.end(3):])
        elif verb in NEG_AUX and verb not in ("have", "has", "do", "does", "did"):
            cands.append(text[: cond.start(3)] + NEG_AUX[verb] + text[cond.end(3):])
        elif (verb.islower() and not verb.endswith(("ed", "ly")) and verb not in IRREGULAR_PAST
              and verb not in ("never", "always", "really", "just", "only", "still", "had")):
            cands.append(text[: cond.start(3)] + "don't " + text[cond.start(3):])

    plural = re.match(r"^(What|Which) ((?:[\w-]+ ){0,2}[\w-]+s) (are|can|do|should|will|have|"
                      r"were|did|could|would) (\w+)", text)
    if plural and plural.group(2).split()[-1].lower() not in ("is", "was", "has", "does", "this"):
        nxt = plural.group(4)
        if nxt in PRONOUNS and not has_neg:
            cands.append(text[: plural.end(4)] + " not" + text[plural.end(4):])
        elif nxt == "not":
            cands.append(text[: plural.end(3)] + text[plural.end(4):])
        elif not has_neg:
            cands.append(text[: plural.start(3)] + NEG_AUX[plural.group(3)]
                         + text[plural.end(3):])
    pluralneg = re.match(r"^(What|Which) ((?:[\w-]+ ){0,2}[\w-]+s) (aren't|can't|don't|won't|"
                         r"haven't|weren't|didn't|couldn't|shouldn't) ", text)
    if pluralneg:
        pos_aux = {v: k for k, v in NEG_AUX.items()}[pluralneg.group(3)]
        cands.append(text[: pluralneg.start(3)] + pos_aux + text[pluralneg.end(3):])
    for m in re.finditer(r"\b(that|which|who) (are|can|do|does|is) (?!not\b)(\w+)", text):
        if not has_neg and m.group(3) not in PRONOUNS:
            cands.append(text[: m.start(2)] + NEG_AUX[m.group(2)] + text[m.end(2):])
    for m in re.finditer(r"\b(that|which|who) (are|can|do|does|is) not ", text):
        cands.append(text[: m.end(2) + 1] + text[m.end():])
    for m in re.finditer(r"\b(that|which|who) (aren't|can't|don't|doesn't|isn't) ", text):
        pos_aux = {v: k for k, v in NEG_AUX.items()}[m.group(2)]
        cands.append(text[: m.start(2)] + pos_aux + text[m.end(2):])

    rng.shuffle(cands)
    for out in cands:
        if out and out != text and not _bad_output(out):
            return out
    return None


def _antonym(text: str, rng: Rng, template: bool) -> str | None:
    """Replace one word or phrase by its opposite."""
    matches = []
    low_text = text.lower()
    for start, end, src in ANTONYM_TABLE.find(text):
        key = src.lower() if src.lower() in ANTONYM_MAP else src
        if key not in ANTONYM_MAP:
            continue
        if src[:1].isupper() and start > 0 and not src.isupper():
            continue  # a capitalised word mid-sentence is probably a name ("Stephen King")
        if text[start - 1: start] == "'" and text[end: end + 1] == "'":
            continue  # a quoted word is being asked about ("'affect' or 'effect'")
        lemma = ANTONYM_LEMMA.get(key, key)
        if (key in ANTONYM_AMBIGUOUS or lemma in ANTONYM_AMBIGUOUS) and not (
                template and (key in ANTONYM_OK_IN_TEMPLATES or lemma in ANTONYM_OK_IN_TEMPLATES)):
            continue
        target = ANTONYM_MAP[key]
        if key in GENDERED and PRONOUN_RE.search(text):
            continue  # "a girl ... asks her out": the pronouns would no longer agree
        if re.search(rf"(?<![\w-]){re.escape(target.lower())}(?![\w-])", low_text):
            continue  # both opposites already present ("pros and cons")
        matches.append((start, end, src, key, target))
    rng.shuffle(matches)
    for start, end, src, key, target in matches:
        before = text[:start].split()
        after = text[end:].split()
        if key in WIN_LOSE_FORMS:
            # "lose weight" -> "gain weight"; "win the election" <-> "lose the election";
            # anything else ("a lost card", "won the World Cup") is left alone
            words = [w.lower().strip("?,.!") for w in after[:2]]
            if words and (words[0] in LOSE_GAIN_NEXT or words[0][:1].isdigit()
                          or (len(words) > 1 and words[0] in ("my", "some", "a", "the")
                              and words[1] in LOSE_GAIN_NEXT)):
                if key not in ("lose", "loses", "losing", "lost"):
                    continue
                target = {"lose": "gain", "loses": "gains", "losing": "gaining",
                          "lost": "gained"}[key]
            elif not (len(words) > 1 and words[0] in ("the", "a", "an", "this", "my", "his",
                                                       "her", "their", "our")
                      and words[1] in CONTESTS):
                continue
        if key in ANTONYM_PP and before and before[-1].lower() in PARTICIPLE_CUES:
            target = ANTONYM_PP[key]
        out = _replace_span(text, start, end, _case_like(src, target))
        if out != text and not _bad_output(out):
            return out
    return None


def _synonym(text: str, rng: Rng) -> str | None:
    matches = [f for f in SYNONYM_TABLE.find(text)
               if not (f[2][:1].isupper() and f[0] > 0 and not f[2].isupper())]
    rng.shuffle(matches)
    for start, end, src in matches:
        new = SYNONYM_MAP.get(src)
        if new is None:
            continue
        out = _replace_span(text, start, end, new)
        if out != text and not _bad_output(out):
            return out
    return None


def _entity_swap(text: str, rng: Rng) -> str | None:
    """Replace one named entity by another of the same class (every occurrence of it)."""
    found: list[str] = []
    for start, end, value in ENTITY_TABLE.find(text):
        cls = ENTITY_CLASS[value]
        nxt = text[end:].split(" ", 2)[1:2] if text[end:end + 1] == " " else []
        prev = text[:start].split()[-1:] if start else []
        if nxt and nxt[0][:1].isupper() and nxt[0] != "I":
            continue  # part of a longer name ("Google Chrome", "JEE Main", "India Gate")
        if prev and prev[0].endswith(",") and prev[0][:1].isupper():
            continue  # "Jakarta, Indonesia": the country must match the city
        if cls == "food" and prev and (prev[0].endswith("ed") or prev[0] in ("raw", "hard")):
            continue  # "hard boiled eggs"
        if cls == "cond" and nxt and nxt[0].startswith("attack"):
            continue  # "anxiety attacks"
        if value not in found:
            found.append(value)
    rng.shuffle(found)
    for value in found:
        cls = ENTITY_CLASS[value]
        options = [v for v in ENTITY_MEMBERS[cls] if v != value and v not in text]
        if not options:
            continue
        new = rng.choice(options)
        pattern = re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])")
        out = text
        for m in reversed(list(pattern.finditer(out))):
            out = _replace_span(out, m.start(), m.end(), new)
        if out.startswith("the "):
            out = "T" + out[1:]
        if out != text:
            return out
    return None


NOT_YEAR_NEXT = frozenset((
    "and", "or", "rs", "rupees", "rupee", "notes", "note", "calories", "kcal", "mah", "km", "kg",
    "words", "dollars", "euros", "people", "points", "meters", "feet", "miles", "ft", "mg", "ml",
    "gb", "mb", "rpm", "cc", "sq", "crore", "lakh", "marks", "rank", "students", "per", "inr"))


def _is_year(text: str, start: int, end: int) -> bool:
    """Whether a 4-digit number between 1900 and 2039 is used as a year (not "2000 rupees")."""
    if not YEAR_RE.fullmatch(text[start:end]):
        return False
    nxt = text[end:].split(None, 1)
    prev = text[:start].split()
    if nxt and nxt[0].lower().strip("?,.!)") in NOT_YEAR_NEXT:
        return False
    return not (prev and prev[-1].lower().strip(".") in ("rs", "inr", "usd", "of rs"))


def _new_number(num: str, rng: Rng, percent: bool = False) -> str:
    """A different, plausible number in the same style (commas, decimals)."""
    value = float(num.replace(",", ""))
    if percent and value <= 100:
        options = [v for v in (5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 95, 99)
                   if v != value]
        return str(rng.choice(options))
    if "." in num:
        decimals = len(num.split(".")[1])
        choices = [value + 1, value * 2, max(0.5, value - 1), value * 1.5, value + 0.5]
        new = f"{rng.choice([c for c in choices if abs(c - value) > 1e-9]):.{decimals}f}"
    else:
        n = int(value)
        if n <= 12:
            choices = [n + 1, n + 2, n + 3, n * 2, n - 1, n + 5]
        elif n < 100:
            choices = [n * 2, n // 2, n + 10, max(1, n - 5), round(n * 1.5)]
        else:
            choices = [n * 2, n // 2, n * 3, n * 10, round(n * 1.5), n // 5]
        picked = rng.choice([c for c in choices if c > 0 and c != n])
        new = f"{picked:,}" if "," in num or (picked >= 10000 and "," in num) else str(picked)
    return new if new != num else str(int(value) + 1)


def _number_edit(text: str, rng: Rng) -> str | None:
    """Change a number, a unit, a currency or an ordinal."""
    cands: list[str] = []
    for m in NUM_RE.finditer(text):
        num = m.group(2)
        if not m.group(1) and not m.group(3) and _is_year(text, m.start(2), m.end(2)):
            continue  # a year is a time edit
        new = _new_number(num, rng, percent=m.group(3) == "%")
        if re.search(rf"(?<![\d.,]){re.escape(new)}(?![\d.,])", text):
            new = _new_number(num, rng, percent=m.group(3) == "%")
        if not re.search(rf"(?<![\d.,]){re.escape(new)}(?![\d.,])", text):
            cands.append(text[: m.start(2)] + new + text[m.end(2):])
        if m.group(1) and m.group(1).strip() in ("$", "£", "€"):
            sym = rng.choice([c for c in ("$", "£", "€") if c != m.group(1).strip()])
            cands.append(text[: m.start(1)] + sym + text[m.end(1):])
    for m in UNIT_RE.finditer(text):
        cands.append(text[: m.start(2)] + UNIT_SWAPS[m.group(2)] + text[m.end(2):])
    for m in re.finditer(r"(?<![\w-])(" + "|".join(NUMBER_WORDS) + r")(?![\w-])", text):
        alt = rng.choice([w for w in NUMBER_WORDS if w != m.group(1)])
        cands.append(text[: m.start()] + alt + text[m.end():])
    for m in re.finditer(r"(?<![\w-])(" + "|".join(ORDINAL_WORDS) + r")(?![\w-])", text):
        ctx = text[max(0, m.start() - 3): m.end() + 6].lower()
        if any(b in ctx for b in ("at first", "first aid", "first of", "first-")):
            continue
        alt = rng.choice([w for w in ORDINAL_WORDS if w != m.group(1)])
        cands.append(_replace_span(text, m.start(), m.end(), alt))
    rng.shuffle(cands)
    for out in cands:
        if out != text:
            return out
    return None


def _time_edit(text: str, rng: Rng) -> str | None:
    """Change a year, decade, century, month, weekday or relative time."""
    cands: list[str] = []
    for m in YEAR_RE.finditer(text):
        if not _is_year(text, m.start(1), m.end(1)):
            continue
        year = int(m.group(1))
        opts = [y for y in range(year - 8, year + 9) if y != year and 1900 <= y <= 2030]
        new = str(rng.choice(opts))
        cands.append(text[: m.start(1)] + new + text[m.end(1):])
    for m in DECADE_RE.finditer(text):
        digit = rng.choice([d for d in "2345678" if d != m.group(2)])
        cands.append(text[: m.start(2)] + digit + text[m.end(2):])
    for m in CENTURY_RE.finditer(text):
        n = int(m.group(1))
        new_n = rng.choice([x for x in range(max(2, n - 4), min(21, n + 3)) if x != n])
        suffix = "th" if 11 <= new_n <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(new_n % 10, "th")
        cands.append(f"{text[: m.start()]}{new_n}{suffix} century{text[m.end():]}")
    for m in MONTH_RE.finditer(text):
        alt = rng.choice([x for x in MONTHS if x not in (m.group(1), "May")])
        cands.append(text[: m.start(1)] + alt + text[m.end(1):])
    for m in WEEKDAY_RE.finditer(text):
        alt = rng.choice([x for x in WEEKDAYS if x != m.group(1)])
        cands.append(text[: m.start(1)] + alt + text[m.end(1):])
    for m in REL_TIME_RE.finditer(text):
        alt = rng.choice(REL_TIME[m.group(0).lower()])
        cands.append(text[: m.start()] + _case_like(m.group(0), alt)
                     + text[m.end():])
    rng.shuffle(cands)
    for out in cands:
        if out != text:
            return out
    return None


def _direction_edit(text: str, rng: Rng) -> str | None:
    """Swap two same-class entities around an asymmetric cue ("from A to B", "A better than B"),
    or the two roles of a who-does-what-to-whom question."""
    if SYMMETRIC_CUES.search(text):
        return None
    spans: list[tuple[int, int, str]] = [(st, en, ENTITY_CLASS[v])
                                         for st, en, v in ENTITY_TABLE.find(text)]
    spans += [(m.start(), m.end(), "file_format") for m in FILE_FORMAT_RE.finditer(text)]
    spans.sort()
    for (s1, e1, c1), (s2, e2, c2) in itertools.pairwise(spans):
        if c1 != c2 or text[s1:e1] == text[s2:e2]:
            continue
        if DIRECTION_CUE.match(text[e1:s2]) and " and " not in text[e1:s2]:
            return text[:s1] + text[s2:e2] + text[e1:s2] + text[s1:e1] + text[e2:]
    for a, b in ROLE_WORDS:
        ra = re.search(rf"(?<![\w-]){a}(?![\w-])", text)
        rb = re.search(rf"(?<![\w-]){b}(?![\w-])", text)
        if ra and rb:
            out = re.sub(rf"(?<![\w-])({a}|{b})(?![\w-])",
                         lambda m: b if m.group(1) == a else a, text)  # noqa: B023
            return _fix_articles(out)
    return None


def _add_modifier(question: str, mod: str) -> str:
    """Attach a scope or format modifier: a prefix if it ends in "," or ":", else a sentence."""
    if mod.endswith((",", ":")):
        return f"{mod} {_lower_first(question)}"
    q = question if question.endswith(("?", ".", "!", '"')) else question + "?"
    return f"{q} {mod}"


INFO_RE = re.compile(r"^(What|How|Why|Which|Explain|Can you explain|What's|Who|When|Where|"
                     r"Is there|Are there|Give|List|Tell)\b")
EXPLAIN_RE = re.compile(r"^(What is|What's|What are|Why|How does|How do (?!I\b)|How is|Explain|"
                        r"Can you explain)\b")
LISTY_RE = re.compile(r"^(What are|Which|What're|List|Give me|Can you recommend|Any "
                      r"recommendations|Suggest|Recommend)\b|\b(ways|examples|tips|ideas|"
                      r"options|things|places|books|apps)\b")


def _scope_edit(question: str, rng: Rng) -> tuple[str, str] | None:
    """Return (a, b) that differ in the audience, depth or breadth asked for."""
    axes = [ax for ax in SCOPE_AXES
            if (ax != "breadth" or LISTY_RE.search(question))
            and (ax != "audience" or EXPLAIN_RE.match(question))]
    if not axes or not INFO_RE.match(question):
        return None
    lo, hi = SCOPE_AXES[rng.choice(axes)]
    if rng.random() < 0.6:
        return _add_modifier(question, rng.choice(lo)), _add_modifier(question, rng.choice(hi))
    return question, _add_modifier(question, rng.choice(rng.choice((lo, hi))))


def _format_edit(question: str, rng: Rng) -> tuple[str, str] | None:
    """Return (a, b) that ask for different output formats (or one side for none)."""
    if not INFO_RE.match(question):
        return None
    groups = FORMAT_GROUPS + (DATA_FORMAT_GROUPS if LISTY_RE.search(question) else ())
    g1, g2 = rng.sample(groups, 2)
    if rng.random() < 0.6:
        return _add_modifier(question, rng.choice(g1)), _add_modifier(question, rng.choice(g2))
    return question, _add_modifier(question, rng.choice(g1))


# --- paraphrase rules for free text -------------------------------------------------------------

QQP_HOWTO = ("How can I {X}?", "How do I {X}?", "What is the best way to {X}?",
             "What's the best way to {X}?", "Can you tell me how to {X}?", "How to {X}?",
             "What should I do to {X}?", "Any tips on how to {X}?", "How would I {X}?")
HOWTO_SKIP = re.compile(r"^(know|tell|feel|find out|think|see if|make sure|say|do|go about|"
                        r"get (?:him|her)|start\b.*\?)\b")


def _paraphrase(text: str, rng: Rng) -> str | None:
    """A meaning-preserving rewrite of a free-text question."""
    rules: list[Callable[[], str | None]] = []
    howto = re.match(r"^(?:How (?:do|can|should) I|What is the best way to|What's the best way "
                     r"to|How to|How would I) (.+)\?$", text)
    if howto and not HOWTO_SKIP.match(howto.group(1)):
        body = howto.group(1)

        def frame_swap() -> str:
            frames = [f for f in QQP_HOWTO if f.replace("{X}", body) != text]
            return rng.choice(frames).replace("{X}", body)
        rules.append(frame_swap)
    you = re.match(r"^How (do|can) you (.+)\?$", text)
    if you:
        rules.append(lambda: rng.choice(("How does one {X}?", "How can one {X}?",
                                         "What's the way to {X}?")).replace("{X}", you.group(2)))
    best = re.match(r"^Which is the best (.+)\?$", text)
    if best:
        rules.append(lambda: rng.choice(("What is the best {X}?", "What's the best {X}?"))
                     .replace("{X}", best.group(1)))
    wbest = re.match(r"^What(?: is|'s) the best ([^,]+)\?$", text)
    if wbest and not wbest.group(1).startswith("way"):
        rules.append(lambda: f"Which is the best {wbest.group(1)}?")
    some = re.match(r"^What are (?:some|the) (best|good|great) (.+)\?$", text)
    if some:
        rules.append(lambda: rng.choice(("Can you recommend some good {X}?",
                                         "What are some of the best {X}?",
                                         "Could you suggest some good {X}?"))
                     .replace("{X}", some.group(2)))
    diff = re.match(r"^What(?: is|'s) the difference between (.+?) and (.+)\?$", text)
    if diff and " and " not in diff.group(2) and " and " not in diff.group(1):
        x, y = diff.group(1), diff.group(2)
        rules.append(lambda: rng.choice((f"How is {x} different from {y}?",
                                         f"What's the difference between {y} and {x}?",
                                         f"How do {x} and {y} differ?")))
    why_is = re.match(r"^Why is (.+)\?$", text)
    if why_is and not re.search(r"\b\w+(ing|ed)\b|^there\b", why_is.group(1)) \
            and len(why_is.group(1).split()) >= 2:
        rules.append(lambda: f"What makes {why_is.group(1)}?")
    why_do = re.match(r"^Why do (\w+) (.+)\?$", text)
    if why_do and why_do.group(1) not in ("I", "you", "we"):
        rules.append(lambda: f"What is the reason {why_do.group(1)} {why_do.group(2)}?")
    cond = re.match(r"^(What should I do|What happens|What do I do) (if|when) (.+)\?$", text)
    if cond:
        rules.append(lambda: f"{cond.group(2).capitalize()} {cond.group(3)}, "
                             f"{cond.group(1)[0].lower()}{cond.group(1)[1:]}?")
    place = re.match(r"^(.+) (in|for|on) ([A-Z][\w.+#-]*(?: [A-Z][\w.+#-]*)?)\?$", text)
    if (place and place.group(3) in ENTITY_CLASS and len(place.group(1).split()) >= 3
            and re.match(r"^(What|How|Which|Where|Why|Who|When|Is|Can|Should|Do|Does|Are)\b",
                         text)):
        rules.append(lambda: f"{place.group(2).capitalize()} {place.group(3)}, "
                             f"{_lower_first(place.group(1))}?")
    if SYNONYM_TABLE.find(text):
        rules.append(lambda: _synonym(text, rng))
    rng.shuffle(rules)
    for make in rules:
        out = make()
        if out and out != text and not _bad_output(out):
            if rng.random() < 0.25:
                out = _synonym(out, rng) or out
            return out
    return None


# --- trivial (surface) noise ----------------------------------------------------------------------


def _op_case(text: str, rng: Rng) -> str:
    r = rng.random()
    if r < 0.5:
        return text.lower()
    if r < 0.8:
        return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))
    if r < 0.9 and len(text) < 80:
        return text.upper()
    return text[:1].lower() + text[1:]


def _op_punct(text: str, rng: Rng) -> str:
    if text.endswith("?"):
        return text[:-1] + rng.choice(("", "", "??", "?!", ".", " ?", "???"))
    if text.endswith("."):
        return text[:-1] + rng.choice(("", "?", "!"))
    return text + rng.choice(("?", ".", "!"))


def _op_space(text: str, rng: Rng) -> str:
    words = text.split(" ")
    r = rng.random()
    if r < 0.5 and len(words) > 2:
        i = rng.randrange(1, len(words))
        words[i] = " " + words[i]
        return " ".join(words)
    if r < 0.75:
        return " " + text + "  "
    return re.sub(r"\?$", " ?", text) if text.endswith("?") else text + " "


def _typo(word: str, rng: Rng) -> str:
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(3)
    if op == 0 and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == 1:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def _op_typo(text: str, rng: Rng) -> str:
    spans = [m for m in re.finditer(r"(?<![\w'/.-])[a-z]{6,}(?![\w'/.-])", text)]
    if not spans:
        return text
    out = text
    for m in sorted(rng.sample(spans, min(len(spans), rng.choice((1, 1, 2)))),
                    key=lambda m: -m.start()):
        out = out[: m.start()] + _typo(m.group(0), rng) + out[m.end():]
    return out


def _op_contraction(text: str, rng: Rng) -> str:
    cands = []
    for full, short in CONTRACTIONS:
        for src, dst in ((full, short), (short, full)):
            for m in re.finditer(rf"(?<![\w']){re.escape(src)}(?![\w'])", text, re.IGNORECASE):
                nxt = text[m.end():].split(" ", 2)
                nxt_word = nxt[1] if len(nxt) > 1 else ""
                if src == short and ("'s" in short or "'d" in short) and (
                        nxt_word.endswith(("ed", "en")) or nxt_word in ("been", "got", "had")):
                    continue
                cands.append((m, dst))
    if not cands:
        return text
    m, dst = rng.choice(cands)
    return text[: m.start()] + _case_like(m.group(0), dst) + text[m.end():]


def _op_texting(text: str, rng: Rng) -> str:
    out = text
    for full, short in TEXTING:
        if rng.random() < 0.8:
            out = re.sub(rf"(?<![\w']){re.escape(full)}(?![\w'])", short, out, flags=re.IGNORECASE)
    out = out.lower()
    return re.sub(r"[?!.,;:](?=\s|$)", "", out).strip()


def _op_polite(text: str, rng: Rng) -> str:
    r = rng.random()
    howto = re.match(r"^How (?:do|can) I (.+)\?$", text)
    whatis = re.match(r"^What is (.+)\?$", text)
    if r < 0.15 and howto:
        return rng.choice(("Can you tell me how to {X}?", "Could you tell me how to {X}?",
                           "Do you know how to {X}?")).replace("{X}", howto.group(1))
    if r < 0.25 and whatis:
        return f"Can you tell me what {whatis.group(1)} is?"
    if r < 0.65:
        return rng.choice(POLITE_PREFIXES) + _lower_first(text)
    return text + rng.choice(POLITE_SUFFIXES)


NOISE_OPS: tuple[Callable[[str, Rng], str], ...] = (
    _op_case, _op_punct, _op_space, _op_typo, _op_contraction, _op_texting, _op_polite)
LIGHT_OPS: tuple[Callable[[str, Rng], str], ...] = (_op_case, _op_punct, _op_polite)


def _noise(text: str, rng: Rng, light: bool = False) -> str:
    """A surface variant of ``text`` with the same meaning (always different from ``text``)."""
    ops = LIGHT_OPS if light else NOISE_OPS
    for _ in range(12):
        k = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
        chosen = rng.sample(ops, min(k, len(ops)))
        chosen.sort(key=ops.index)  # texting last-ish: it strips punctuation added earlier
        out = text
        for op in chosen:
            out = op(out, rng)
        if out != text and out.strip():
            return out
    return text + "?" if not text.endswith("?") else text[:-1]


# =================================================================================================
# Templates: preparation, filling and rendering
# =================================================================================================


class Prepared(NamedTuple):
    """A family with its expanded surfaces and slot keys."""

    idx: int
    fam: Family
    surfaces: tuple[str, ...]
    keys: tuple[tuple[str, str], ...]  # (key, class), e.g. ("city1", "city")
    polar: bool


def _expand(f: Family) -> tuple[str, ...]:
    body = f.forms[0]
    if f.tag == "howto":
        sep = re.search(r"\|(?![^\[]*\])", body)  # a "|" outside a polarity group
        main, ctx = (body[: sep.start()], body[sep.end():]) if sep else (body, "")
        full = f"{main} {ctx}" if ctx else main
        out = [fr.replace("{X}", full) for fr in HOWTO_FRAMES]
        if ctx:
            lead = ctx[0].upper() + ctx[1:]
            out += [f"{lead}, " + fr.replace("{X}", main) for fr in HOWTO_FRONT]
        return tuple(out)
    if f.tag == "whatis":
        return tuple(fr.replace("{X}", body) for fr in WHATIS_FRAMES)
    if f.tag == "recommend":
        return tuple(fr.replace("{X}", body) for fr in RECOMMEND_FRAMES)
    if f.tag == "compare":
        a, b = body.split("|")
        return tuple(fr.replace("{A}", a).replace("{B}", b) for fr in COMPARE_FRAMES)
    return f.forms


def _slot_keys(surface: str) -> tuple[tuple[str, str], ...]:
    seen: dict[str, str] = {}
    for m in PH_RE.finditer(surface):
        seen.setdefault(m.group(1) + m.group(2), m.group(1))
    return tuple(seen.items())


def _prepare() -> tuple[Prepared, ...]:
    out = []
    for i, fam in enumerate(FAMILIES):
        surfaces = _expand(fam)
        keys = _slot_keys(surfaces[0])
        for s in surfaces:
            if sorted(_slot_keys(s)) != sorted(keys):
                raise ValueError(f"family {i}: surfaces use different slots: {s!r}")
            if len(POL_RE.findall(s)) != len(POL_RE.findall(surfaces[0])):
                raise ValueError(f"family {i}: polarity groups differ: {s!r}")
        for _, cls in keys:
            if cls not in SLOTS and cls not in GENERATED_IDS:
                raise ValueError(f"family {i}: unknown slot class {cls!r}")
            if cls not in SLOT_KIND:
                raise ValueError(f"slot class {cls!r} has no kind")
        prep = Prepared(i, fam, surfaces, keys, bool(POL_RE.search(surfaces[0])))
        rng = random.Random(i)
        for s in surfaces:
            text = _render(s, _fill(prep, rng), 0)
            if re.search(r"[{}|]", text):
                raise ValueError(f"family {i}: unrendered placeholder in {text!r}")
        out.append(prep)
    return tuple(out)


DIGITS = "0123456789"
SKU_COLORS = ("BLK", "WHT", "RED", "BLU", "GRN", "GRY")
SKU_SIZES = ("XS", "S", "M", "L", "XL")
FLIGHT_CODES = ("BA", "UA", "LH", "AF", "DL", "AA", "EK", "QR", "SQ", "NH", "KL", "IB", "AC", "QF")


def _digits(rng: Rng, n: int, lead: bool = True) -> str:
    first = rng.choice("123456789") if lead else rng.choice(DIGITS)
    return first + "".join(rng.choice(DIGITS) for _ in range(n - 1))


def _gen_identifier(cls: str, rng: Rng) -> str:
    """A fresh value of a generated class (order number, SKU, semver, equation, ...)."""
    if cls == "order_id":
        return rng.choice((
            lambda: f"ORD-{_digits(rng, 5)}", lambda: f"#{_digits(rng, 7)}",
            lambda: f"{_digits(rng, 3)}-{_digits(rng, 7)}-{_digits(rng, 7)}",
            lambda: f"SO{_digits(rng, 6)}"))()
    if cls == "ticket_id":
        return rng.choice((lambda: f"TKT-{_digits(rng, 5)}", lambda: f"INC00{_digits(rng, 5)}",
                           lambda: f"CS-{_digits(rng, 6)}", lambda: f"#{_digits(rng, 6)}"))()
    if cls == "sku":
        return rng.choice((
            lambda: f"SKU-{_digits(rng, 5)}",
            lambda: f"{_digits(rng, 4)}-{rng.choice(SKU_COLORS)}-{rng.choice(SKU_SIZES)}",
            lambda: "B0" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
                                   for _ in range(8))))()
    if cls == "tracking":
        return rng.choice((
            lambda: "1Z" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXY")
                                   for _ in range(6)) + _digits(rng, 10),
            lambda: "9400 " + " ".join(_digits(rng, 4, lead=False) for _ in range(4)),
            lambda: f"TBA{_digits(rng, 12)}"))()
    if cls == "semver":
        return f"{rng.randrange(0, 10)}.{rng.randrange(0, 21)}.{rng.randrange(0, 16)}"
    if cls == "git_hash":
        return "".join(rng.choice("0123456789abcdef") for _ in range(7))
    if cls == "ecode":
        return rng.choice("EFHCLU") + _digits(rng, 2, lead=False)
    if cls == "cardnum":
        return _digits(rng, 4, lead=False)
    if cls == "flight_no":
        return f"{rng.choice(FLIGHT_CODES)} {_digits(rng, rng.choice((2, 3, 4)))}"
    if cls == "invoice":
        return f"INV-{rng.randrange(2019, 2026)}-{_digits(rng, 4, lead=False)}"
    if cls == "eq":
        a, x, b = rng.randrange(2, 10), rng.randrange(1, 13), rng.randrange(1, 21)
        if rng.random() < 0.5:
            return f"{a}x + {b} = {a * x + b}"
        return f"{a}x - {b} = {a * x - b}"
    raise ValueError(cls)


def _mutate_digit(value: str, rng: Rng) -> str:
    """Change one digit, or swap two adjacent different digits (a near-miss identifier)."""
    pos = [i for i, ch in enumerate(value) if ch.isdigit()]
    pairs = [i for i in pos if i + 1 in pos and value[i] != value[i + 1]]
    if pairs and rng.random() < 0.5:
        i = rng.choice(pairs)
        return value[:i] + value[i + 1] + value[i] + value[i + 2:]
    i = rng.choice(pos)
    return value[:i] + rng.choice([d for d in DIGITS if d != value[i]]) + value[i + 1:]


def _near_miss(cls: str, value: str, rng: Rng) -> str:
    """A different value of a generated class that looks almost the same."""
    if cls == "semver":
        major, minor, patch = (int(x) for x in value.split("."))
        return rng.choice((f"{major}.{minor}.{patch + 1}", f"{major}.{minor + 1}.{patch}",
                           f"{major}.{minor}.{max(0, patch - 1) if patch else patch + 2}",
                           f"{major + 1}.{minor}.{patch}"))
    if cls == "git_hash":
        i = rng.randrange(len(value))
        return value[:i] + rng.choice([c for c in "0123456789abcdef" if c != value[i]]) \
            + value[i + 1:]
    if cls == "eq":
        m = re.match(r"(\d+)x ([+-]) (\d+) = (-?\d+)", value)
        if m:
            a, op, b, c = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
            which = rng.randrange(3)
            if which == 0:
                a = a + 1 if a < 9 else a - 1
            elif which == 1:
                b += rng.choice((1, 2, 3))
            else:
                c += rng.choice((1, 2, -1))
            return f"{a}x {op} {b} = {c}"
    if cls == "sku" and "-" in value and value[-1].isalpha() and rng.random() < 0.5:
        head, color, size = value.rsplit("-", 2)
        if rng.random() < 0.5:
            return f"{head}-{rng.choice([c for c in SKU_COLORS if c != color])}-{size}"
        return f"{head}-{color}-{rng.choice([s for s in SKU_SIZES if s != size])}"
    if any(ch.isdigit() for ch in value):
        return _mutate_digit(value, rng)
    return value + "1"


def _pick(cls: str, rng: Rng, exclude: Sequence[Filler]) -> Filler:
    if cls in GENERATED_IDS:
        for _ in range(20):
            v = _gen_identifier(cls, rng)
            if v not in exclude:
                return v
        return _gen_identifier(cls, rng)
    options = [v for v in SLOTS[cls] if v not in exclude]
    return rng.choice(options)


def _change(cls: str, value: Filler, rng: Rng, exclude: Sequence[Filler]) -> Filler | None:
    """Another value of ``cls`` (a near miss for identifiers); None when there is none."""
    if cls in GENERATED_IDS:
        assert isinstance(value, str)
        for _ in range(20):
            new = _near_miss(cls, value, rng)
            if new != value and new not in exclude:
                return new
        return _pick(cls, rng, [*exclude, value])
    options: list[Filler] = [v for v in SLOTS[cls] if v != value and v not in exclude]
    if not options:
        return None
    if SLOT_KIND[cls] == "identifier" and isinstance(value, str):
        # prefer a sibling that shares the first word or the first two characters
        close: list[Filler] = [v for v in options if isinstance(v, str)
                               and (v.split()[0] == value.split()[0] or v[:2] == value[:2])]
        if close and rng.random() < 0.7:
            options = close
    return rng.choice(options)


def _fill(prep: Prepared, rng: Rng) -> dict[str, Filler]:
    values: dict[str, Filler] = {}
    for key, cls in prep.keys:
        used = [v for k, v in values.items() if dict(prep.keys)[k] == cls]
        values[key] = _pick(cls, rng, used)
    return values


def _render(surface: str, values: dict[str, Filler], polarity: int) -> str:
    def sub(m: re.Match[str]) -> str:
        v = values[m.group(1) + m.group(2)]
        if isinstance(v, tuple):
            return v[int(m.group(3) or 0)]
        return v

    text = PH_RE.sub(sub, surface)
    text = POL_RE.sub(lambda m: m.group(1 + polarity), text)
    return _tidy(text)


# =================================================================================================
# Quora Question Pairs (tuning split only)
# =================================================================================================


def _clean_question(q: str) -> bool:
    """A well-formed single English question of 4-25 words, no markup or explicit content."""
    if not q.isascii() or not q.endswith("?") or q.count("?") != 1 or not q[:1].isupper() \
            or '""' in q:
        return False
    words = q.split()
    if not 4 <= len(words) <= 25 or "  " in q:
        return False
    if re.search(r"https?:|www\.|\[|\]|[{}<>@#*_=|~^\\]|\.\.|\(\)|\bi\b", q):
        return False
    caps = sum(1 for w in words if len(w) >= 4 and w.isupper())
    if caps > 2 or BLOCKLIST_RE.search(q):
        return False
    return not re.search(r"\b(\w+) \1\b", q, re.IGNORECASE)


def _tuning_id(raw: object) -> bool:
    digits = re.sub(r"\D", "", str(raw))
    return bool(digits) and int(digits) % 10 <= 7


class QQPData(NamedTuple):
    pool: list[str]  # clean distinct questions
    pos: list[tuple[str, str]]
    neg: list[tuple[str, str]]


def load_qqp(path: Path) -> QQPData:
    pool: dict[str, None] = {}
    pos: list[tuple[str, str]] = []
    neg: list[tuple[str, str]] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if not _tuning_id(row["id"]):
                continue
            a, b = str(row["a"]).strip(), str(row["b"]).strip()
            ok_a, ok_b = _clean_question(a), _clean_question(b)
            if ok_a:
                pool.setdefault(a, None)
            if ok_b:
                pool.setdefault(b, None)
            if ok_a and ok_b and a != b:
                (pos if int(row["label"]) == 1 else neg).append((a, b))
    return QQPData(list(pool), pos, neg)


# =================================================================================================
# The generator
# =================================================================================================

#: kinds that change one slot value of a template
SLOT_EDIT_KINDS = ("entity", "number", "time", "identifier", "format", "scope", "related",
                   "antonym")
#: cheap filters selecting the Quora questions a rule may apply to
QQP_PREFILTER: dict[str, Callable[[str], bool]] = {
    "negation": lambda q: bool(re.search(r"^(Why|What|Which)\b|\b(always|never|without|with|if|"
                                         r"when|that|which|who)\b", q)),
    "antonym": lambda q: bool(ANTONYM_TABLE.find(q)),
    "number": lambda q: bool(re.search(r"\d|\b(two|three|four|five|six|seven|eight|nine|ten|"
                                       r"twelve|twenty|fifty|hundred|first|second|third)\b", q)),
    "entity": lambda q: bool(ENTITY_TABLE.find(q)),
    "direction": lambda q: bool(re.search(r"\b(to|than|into|over|against)\b", q))
    and (len(ENTITY_TABLE.find(q)) + len(FILE_FORMAT_RE.findall(q)) >= 2
         or bool(re.search(r"\b(landlord|employer|buyer|teacher|parent|husband|doctor|lender|"
                           r"boss|customer|boyfriend)s?\b", q))),
    "time": lambda q: bool(YEAR_RE.search(q) or DECADE_RE.search(q) or CENTURY_RE.search(q)
                           or MONTH_RE.search(q) or WEEKDAY_RE.search(q) or REL_TIME_RE.search(q)),
    "scope": lambda q: bool(INFO_RE.match(q)),
    "format": lambda q: bool(INFO_RE.match(q)),
    "paraphrase": lambda q: bool(re.search(
        r"^(How (do|can|should|would) (I|you)|What is the best way|What's the best way|How to|"
        r"Which is the best|What(?: is|'s) the best|What are (some|the) (best|good|great)|"
        r"What(?: is|'s) the difference|Why is|Why do|What should I do|What happens|"
        r"What do I do)\b", q) or SYNONYM_TABLE.find(q)
        or re.search(r" (in|for|on) [A-Z][\w.+#-]*(?: [A-Z][\w.+#-]*)?\?$", q)),
}


def _any_question(q: str) -> bool:
    return True


class Generator:
    """Makes (a, b) pairs of one kind at a time from templates and Quora questions."""

    def __init__(self, rng: Rng, qqp: QQPData) -> None:
        self.rng = rng
        self.qqp = qqp
        self.preps = _prepare()
        self.by_kind: dict[str, list[Prepared]] = {k: [] for k in SLOT_EDIT_KINDS}
        for p in self.preps:
            for kind in {SLOT_KIND[c] for _, c in p.keys}:
                if kind in self.by_kind:
                    self.by_kind[kind].append(p)
        self.directional = [p for p in self.preps if p.fam.swap]
        self.polar = [p for p in self.preps if p.polar]
        self.explain = [p for p in self.preps if p.fam.explain]
        self.multi = [p for p in self.preps if len(p.surfaces) > 1]
        self.partners: dict[int, list[Prepared]] = {}
        for p in self.preps:
            classes = {c for _, c in p.keys}
            self.partners[p.idx] = [
                o for o in self.preps
                if o.idx != p.idx and o.fam.domain == p.fam.domain
                and classes & {c for _, c in o.keys}]
        self._qqp_cands: dict[str, list[str]] = {}

    # --- helpers ---------------------------------------------------------------------------------

    def _surface_pair(self, p: Prepared, same: float = 0.7) -> tuple[int, int]:
        i = self.rng.randrange(len(p.surfaces))
        j = i if self.rng.random() < same else self.rng.randrange(len(p.surfaces))
        return i, j

    def qqp_candidates(self, kind: str) -> list[str]:
        if kind not in self._qqp_cands:
            test = QQP_PREFILTER.get(kind, _any_question)
            self._qqp_cands[kind] = [q for q in self.qqp.pool if test(q)]
        return self._qqp_cands[kind]

    # --- template pairs --------------------------------------------------------------------------

    def _slot_edit(self, kind: str) -> tuple[str, str] | None:
        rng = self.rng
        p = rng.choice(self.by_kind[kind])
        values = _fill(p, rng)
        keys = [(k, c) for k, c in p.keys if SLOT_KIND[c] == kind]
        if not keys:
            return None
        key, cls = rng.choice(keys)
        others = [v for k, v in values.items() if dict(p.keys)[k] == cls and k != key]
        new = _change(cls, values[key], rng, others)
        if new is None:
            return None
        changed = dict(values)
        changed[key] = new
        pol = rng.randrange(2)
        i, j = self._surface_pair(p)
        return _render(p.surfaces[i], values, pol), _render(p.surfaces[j], changed, pol)

    def template_negative(self, kind: str) -> tuple[str, str] | None:
        rng = self.rng
        if kind == "direction":
            p = rng.choice(self.directional)
            values = _fill(p, rng)
            k1, k2 = p.fam.swap.split()
            swapped = dict(values)
            if "." in k1:
                key = k1.split(".")[0]
                v = values[key]
                assert isinstance(v, tuple)
                swapped[key] = tuple(reversed(v))
            else:
                swapped[k1], swapped[k2] = values[k2], values[k1]
            pol = rng.randrange(2)
            i, j = self._surface_pair(p)
            return _render(p.surfaces[i], values, pol), _render(p.surfaces[j], swapped, pol)
        if kind == "negation":
            if rng.random() < 0.45:
                p = rng.choice(self.polar)
                values = _fill(p, rng)
                pol = rng.randrange(2)
                i, j = self._surface_pair(p, 0.75)
                return _render(p.surfaces[i], values, pol), _render(p.surfaces[j], values, 1 - pol)
            p = rng.choice(self.preps)
            text = _render(rng.choice(p.surfaces), _fill(p, rng), rng.randrange(2))
            out = _negate(text, rng)
            return (text, out) if out else None
        if kind == "antonym":
            if rng.random() < 0.08:
                return self._slot_edit("antonym")
            p = rng.choice(self.preps)
            text = _render(rng.choice(p.surfaces), _fill(p, rng), rng.randrange(2))
            out = _antonym(text, rng, template=True)
            return (text, out) if out else None
        if kind in ("scope", "format"):
            if rng.random() < (0.35 if kind == "scope" else 0.45):
                return self._slot_edit(kind)
            p = rng.choice(self.explain)
            text = _render(rng.choice(p.surfaces), _fill(p, rng), rng.randrange(2))
            return _scope_edit(text, rng) if kind == "scope" else _format_edit(text, rng)
        if kind == "related":
            if rng.random() < 0.5:
                return self._slot_edit("related")
            return self._related_cross()
        return self._slot_edit(kind)

    def _related_cross(self) -> tuple[str, str] | None:
        """Two different questions of one domain about the same slot values, worded alike."""
        rng = self.rng
        p = rng.choice(self.preps)
        partners = self.partners[p.idx]
        if not partners:
            return None
        values = _fill(p, rng)
        by_class = {cls: values[k] for k, cls in p.keys}
        a = _render(rng.choice(p.surfaces), values, rng.randrange(2))
        best: tuple[float, str] | None = None
        for o in rng.sample(partners, min(6, len(partners))):
            ov = _fill(o, rng)
            for k, cls in o.keys:
                if cls in by_class and not k[-1:].isdigit():
                    ov[k] = by_class[cls]
            b = min((_render(s, ov, rng.randrange(2)) for s in rng.sample(
                o.surfaces, min(4, len(o.surfaces)))), key=lambda s: -_jaccard(a, s))
            score = _jaccard(a, b)
            if best is None or score > best[0]:
                best = (score, b)
        if best is None or best[0] < 0.3:
            return None
        return a, best[1]

    def template_positive(self, kind: str) -> tuple[str, str] | None:
        rng = self.rng
        if kind == "trivial":
            p = rng.choice(self.preps)
            values = _fill(p, rng)
            pol = rng.randrange(2)
            text = _render(rng.choice(p.surfaces), values, pol)
            if p.fam.explain and rng.random() < 0.1:
                text = _add_modifier(text, self._any_modifier())
            other = _noise(text, rng)
            if rng.random() < 0.15:
                text = _noise(text, rng, light=True)
            return text, other
        p = rng.choice(self.multi)
        values = _fill(p, rng)
        pol = rng.randrange(2)
        i, j = rng.sample(range(len(p.surfaces)), 2)
        a, b = _render(p.surfaces[i], values, pol), _render(p.surfaces[j], values, pol)
        if rng.random() < 0.25:
            b = _synonym(b, rng) or b
        if p.fam.explain and rng.random() < 0.1:
            mod = self._any_modifier()
            a, b = _add_modifier(a, mod), _add_modifier(b, mod)
        if rng.random() < 0.15:
            b = _noise(b, rng)
        return a, b

    def _any_modifier(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return rng.choice(rng.choice(SCOPE_AXES[rng.choice(("level", "length"))]))
        return rng.choice(rng.choice(FORMAT_GROUPS))

    # --- Quora pairs -----------------------------------------------------------------------------

    def qqp_pair(self, kind: str) -> tuple[str, str] | None:
        rng = self.rng
        cands = self.qqp_candidates(kind)
        if not cands:
            return None
        q = rng.choice(cands)
        if kind == "trivial":
            return q, _noise(q, rng)
        if kind == "paraphrase":
            out = _paraphrase(q, rng)
            if out and rng.random() < 0.15:
                out = _noise(out, rng)
            return (q, out) if out else None
        if kind == "scope":
            return _scope_edit(q, rng)
        if kind == "format":
            return _format_edit(q, rng)
        edit: dict[str, Callable[[str, Rng], str | None]] = {
            "negation": _negate, "antonym": lambda t, r: _antonym(t, r, template=False),
            "number": _number_edit, "entity": _entity_swap, "direction": _direction_edit,
            "time": _time_edit,
        }
        if kind not in edit:
            return None
        out = edit[kind](q, rng)
        return (q, out) if out else None


def _norm(s: str) -> tuple[str, ...]:
    return tuple(_tokens(s))


def generate(per_kind: int, seed: int, qqp: QQPData) -> tuple[list[dict[str, object]],
                                                             dict[str, Counter[str]]]:
    """All rows (shuffled, with ids) and, per kind, how many came from each source."""
    rng = random.Random(seed)
    gen = Generator(rng, qqp)
    rows: list[tuple[str, str, int, str]] = []
    seen: set[tuple[str, str]] = set()
    sources: dict[str, Counter[str]] = {k: Counter() for k in KINDS}

    def accept(kind: str, pair: tuple[str, str] | None, source: str) -> bool:
        if pair is None:
            return False
        a, b = pair
        label = 1 if kind in POSITIVE_KINDS else 0
        if not a.strip() or not b.strip() or a == b or len(a) > 400 or len(b) > 400:
            return False
        if label == 0 and _norm(a) == _norm(b):
            return False
        if kind not in ("qqp_pos", "qqp_neg") and rng.random() < 0.5:
            a, b = b, a  # vary which side holds the edited form
        if (a, b) in seen or (b, a) in seen:
            return False
        seen.add((a, b))
        rows.append((a, b, label, kind))
        sources[kind][source] += 1
        return True

    for kind in KINDS:
        if kind in ("qqp_pos", "qqp_neg"):
            pairs = list(qqp.pos if kind == "qqp_pos" else qqp.neg)
            rng.shuffle(pairs)
            for qpair in pairs:
                if sources[kind]["qqp"] >= per_kind:
                    break
                accept(kind, qpair, "qqp")
            continue
        want_qqp = round(per_kind * QQP_SHARE.get(kind, 0.0)) if qqp.pool else 0
        positive = kind in POSITIVE_KINDS
        # Quora first (up to its share), then templates up to the full count
        pair: tuple[str, str] | None
        for source, target in (("qqp", want_qqp), ("template", per_kind)):
            budget = per_kind * 40
            while sum(sources[kind].values()) < target and budget > 0:
                budget -= 1
                if source == "qqp":
                    pair = gen.qqp_pair(kind)
                elif positive:
                    pair = gen.template_positive(kind)
                else:
                    pair = gen.template_negative(kind)
                accept(kind, pair, source)
    rng.shuffle(rows)
    out = [{"id": f"gen-en-{i:06d}", "a": a, "b": b, "label": label, "kind": kind}
           for i, (a, b, label, kind) in enumerate(rows, 1)]
    return out, sources


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/data/generated_en.jsonl"))
    ap.add_argument("--per-kind", type=int, default=2000, help="rows per kind")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--qqp", type=Path, default=QQP_PATH,
                    help="Quora pairs (.jsonl.gz); only ids ending in 0-7 are read")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    if args.qqp.exists():
        qqp = load_qqp(args.qqp)
    else:
        print(f"warning: {args.qqp} not found; templates only", file=sys.stderr)
        qqp = QQPData([], [], [])
    rows, sources = generate(args.per_kind, args.seed, qqp)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    elapsed = time.perf_counter() - t0

    counts = Counter(str(r["kind"]) for r in rows)
    surfaces = sum(len(_expand(f)) for f in FAMILIES)
    print(f"{len(FAMILIES)} template families ({surfaces} surfaces), {ANTONYM_PAIR_COUNT} "
          f"antonym pairs, {len(qqp.pool)} clean Quora questions (tuning split)")
    print(f"{'kind':<12} {'label':>5} {'rows':>6} {'quora':>6} {'template':>8}")
    for kind in KINDS:
        label = 1 if kind in POSITIVE_KINDS else 0
        src = sources[kind]
        print(f"{kind:<12} {label:>5} {counts[kind]:>6} {src['qqp']:>6} {src['template']:>8}")
        if counts[kind] < args.per_kind:
            print(f"warning: only {counts[kind]} {kind} rows", file=sys.stderr)
    n_pos = sum(1 for r in rows if r["label"] == 1)
    print(f"{'total':<12} {'':>5} {len(rows):>6}   ({n_pos} positive, {len(rows) - n_pos} "
          f"negative) -> {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
